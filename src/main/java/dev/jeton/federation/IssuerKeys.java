package dev.jeton.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The signing keys of one workload-token issuer: from its OIDC discovery document's
 * {@code jwks_uri}, or from a JWKS file (a cluster whose issuer cannot be reached from here
 * publishes the same set at {@code /openid/v1/jwks}). Keys are cached; a token naming an unknown
 * {@code kid} refreshes them, at most once per {@code refetchEvery}, so a flood of forged key ids
 * cannot turn into a flood of fetches. A failed fetch keeps the keys already held: an issuer
 * that is briefly down must not break workloads whose tokens it signed with a known key.
 */
final class IssuerKeys {
    private static final System.Logger LOG = System.getLogger(IssuerKeys.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuer;
    private final Path jwksFile;
    private final java.util.function.Supplier<HttpClient> http;
    private final Clock clock;
    private final Duration refetchEvery;
    private volatile List<JWK> keys = List.of();
    private volatile Instant fetchedAt = Instant.MIN;

    IssuerKeys(String issuer, Path jwksFile, java.util.function.Supplier<HttpClient> http, Clock clock, Duration refetchEvery) {
        this.issuer = issuer;
        this.jwksFile = jwksFile;
        this.http = http;
        this.clock = clock;
        this.refetchEvery = refetchEvery;
    }

    /** The keys a token with this {@code kid} (null: none named) may be signed with. */
    List<JWK> candidates(String kid) {
        List<JWK> found = matching(kid);
        if (found.isEmpty() && refetchAllowed()) {
            refresh();
            found = matching(kid);
        }
        return found;
    }

    private List<JWK> matching(String kid) {
        List<JWK> held = keys;
        if (kid == null) return held;
        return held.stream().filter(k -> kid.equals(k.getKeyID())).toList();
    }

    private synchronized boolean refetchAllowed() {
        Instant now = clock.instant();
        if (fetchedAt != Instant.MIN && now.isBefore(fetchedAt.plus(refetchEvery))) return false;
        fetchedAt = now;
        return true;
    }

    private void refresh() {
        try {
            String json = jwksFile != null ? Files.readString(jwksFile) : fetch(jwksUri());
            List<JWK> fresh = JWKSet.parse(json).getKeys().stream().filter(k -> !k.isPrivate()).toList();
            keys = fresh;
        } catch (IOException | ParseException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "keys of issuer {0} not refreshed, keeping {1} held: {2}", issuer, keys.size(),
                    e.getMessage());
        }
    }

    private String jwksUri() throws IOException {
        String url = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
        JsonNode doc = JSON.readTree(fetch(url));
        // OIDC Discovery 4.3: the document's issuer must be the one it was fetched for.
        if (!issuer.equals(doc.path("issuer").asText(null))) throw new IOException("discovery at " + url + " names another issuer");
        return Optional.ofNullable(doc.path("jwks_uri").asText(null)).orElseThrow(() -> new IOException("no jwks_uri at " + url));
    }

    private String fetch(String url) throws IOException {
        try {
            HttpResponse<String> res = http.get().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) throw new IOException(url + " answered " + res.statusCode());
            return res.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url, e);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a URL: " + url, e);
        }
    }
}
