package dev.jeton.engine.clientauth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.jeton.model.ClientOidcSettings;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The public keys a client signs its assertions with: its registered JWK set, or the one at its
 * {@code jwks_uri}, fetched with a time and size limit and cached. An unknown {@code kid}
 * refetches, at most once per {@code refetchEvery} per URL, so forged key ids cannot become a
 * flood of fetches; a failed fetch keeps the keys already held.
 */
public final class ClientJwks {
    private static final System.Logger LOG = System.getLogger(ClientJwks.class.getName());
    static final int MAX_BYTES = 64 * 1024;

    private final Supplier<HttpClient> http;
    private final Clock clock;
    private final Duration refetchEvery;
    private final Duration timeout;
    private final Map<String, Fetched> byUri = new ConcurrentHashMap<>();

    public ClientJwks(Supplier<HttpClient> http, Clock clock, Duration refetchEvery, Duration timeout) {
        this.http = http;
        this.clock = clock;
        this.refetchEvery = refetchEvery;
        this.timeout = timeout;
    }

    /** The keys that may have signed a token naming {@code kid} (null: any). */
    List<JWK> candidates(ClientOidcSettings settings, String kid) {
        if (settings.jwks() != null) return matching(parse(settings.jwks()), kid);
        if (settings.jwksUri() == null) return List.of();
        Fetched held = byUri.get(settings.jwksUri());
        List<JWK> found = held == null ? List.of() : matching(held.keys(), kid);
        if (found.isEmpty() && refetchAllowed(settings.jwksUri(), held)) found = matching(refresh(settings.jwksUri(), held), kid);
        return found;
    }

    private boolean refetchAllowed(String uri, Fetched held) {
        return held == null || !clock.instant().isBefore(held.at().plus(refetchEvery));
    }

    private List<JWK> refresh(String uri, Fetched held) {
        Instant now = clock.instant();
        try {
            List<JWK> keys = parse(fetch(uri));
            byUri.put(uri, new Fetched(keys, now));
            return keys;
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "client keys at {0} not fetched: {1}", uri, e.getMessage());
            List<JWK> kept = held == null ? List.of() : held.keys();
            byUri.put(uri, new Fetched(kept, now));
            return kept;
        }
    }

    private String fetch(String uri) throws IOException {
        try {
            HttpResponse<InputStream> res = http.get().send(HttpRequest.newBuilder(URI.create(uri)).timeout(timeout)
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = res.body()) {
                if (res.statusCode() != 200) throw new IOException(uri + " answered " + res.statusCode());
                byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) throw new IOException(uri + " sent more than " + MAX_BYTES + " bytes");
                return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        }
    }

    private static List<JWK> parse(String json) {
        try {
            return JWKSet.parse(json).getKeys().stream().filter(k -> !k.isPrivate()).toList();
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWK set: " + e.getMessage());
        }
    }

    private static List<JWK> matching(List<JWK> keys, String kid) {
        return kid == null ? keys : keys.stream().filter(k -> kid.equals(k.getKeyID())).toList();
    }

    private record Fetched(List<JWK> keys, Instant at) {
    }
}
