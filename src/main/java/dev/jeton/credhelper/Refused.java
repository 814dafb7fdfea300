package dev.jeton.credhelper;

/** A helper command that cannot answer; its message goes to stdout (the protocol's error channel) with exit code 1. */
public final class Refused extends Exception {
    /** What Docker and containers/image read as "no credentials here" (not an error for them). */
    public static final String NOT_FOUND = "credentials not found in native keychain";

    public Refused(String message) {
        super(message, null, false, false);
    }

    public static Refused notFound() { return new Refused(NOT_FOUND); }
}
