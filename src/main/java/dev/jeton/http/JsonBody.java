package dev.jeton.http;

/**
 * A wire record that writes its own JSON: for the few answers on a hot path where Jackson's
 * generic serialisation was a measured share of the request (the IMDS token answer, served from
 * a cache at tens of thousands a second). Its output must equal what {@link Json#MAPPER} writes
 * for the same record; each implementation has a test that cross-checks the two.
 */
public interface JsonBody {
    byte[] json();
}
