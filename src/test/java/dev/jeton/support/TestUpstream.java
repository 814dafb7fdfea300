package dev.jeton.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small OpenID Connect provider for tests that must forge what a real one never sends: its
 * discovery document, JWKS and a token endpoint that answers whatever ID token the test set
 * (signed with its published key, a foreign key with the same kid, or none). It records the
 * last token request, so a test can check the client authentication and the PKCE verifier.
 */
public final class TestUpstream implements AutoCloseable {
    private final HttpServer server;
    private final String issuer;
    private final RSAKey key = newKey("upstream-key");
    private final AtomicReference<String> idToken = new AtomicReference<>();
    private final AtomicReference<Integer> tokenStatus = new AtomicReference<>(200);
    private final AtomicReference<TokenRequest> lastTokenRequest = new AtomicReference<>();

    /** What Jeton sent to the token endpoint. */
    public record TokenRequest(String authorization, String body) {
    }

    private TestUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/openid-configuration", ex -> answer(ex, 200, """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                 "jwks_uri":"%1$s/jwks","response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["RS256"]}""".formatted(issuer)));
        server.createContext("/jwks", ex -> answer(ex, 200, new JWKSet(key.toPublicJWK()).toString()));
        server.createContext("/token", ex -> {
            lastTokenRequest.set(new TokenRequest(ex.getRequestHeaders().getFirst("Authorization"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            int status = tokenStatus.get();
            answer(ex, status, status == 200 ? "{\"access_token\":\"upstream-access\",\"token_type\":\"Bearer\",\"id_token\":\""
                    + idToken.get() + "\"}" : "{\"error\":\"invalid_grant\"}");
        });
        server.start();
    }

    public static TestUpstream start() {
        try {
            return new TestUpstream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String issuer() { return issuer; }

    /** Valid claims of an ID token for {@code clientId} with this nonce, issued now for five minutes. */
    public JWTClaimsSet.Builder claims(String clientId, String nonce, String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(clientId).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).claim("nonce", nonce);
    }

    /** The token endpoint answers this ID token, signed with the published key. */
    public void answer(JWTClaimsSet.Builder claims) { idToken.set(sign(claims, key)); tokenStatus.set(200); }

    /** Signed with a key never published, under the published key's kid. */
    public void answerForged(JWTClaimsSet.Builder claims) { idToken.set(sign(claims, newKey(key.getKeyID()))); tokenStatus.set(200); }

    /** An unsigned token (alg none). */
    public void answerUnsigned(JWTClaimsSet.Builder claims) { idToken.set(new PlainJWT(claims.build()).serialize()); tokenStatus.set(200); }

    /** The token endpoint refuses the code. */
    public void refuseCode() { tokenStatus.set(400); }

    public TokenRequest lastTokenRequest() { return lastTokenRequest.get(); }

    private static String sign(JWTClaimsSet.Builder claims, RSAKey with) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims.build());
            jwt.sign(new RSASSASigner(with));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid == null ? UUID.randomUUID().toString() : kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims a Jeton user gets from this provider in the tests: a name, an email and groups. */
    public static JWTClaimsSet.Builder person(JWTClaimsSet.Builder claims, String name, String email, List<String> groups) {
        return claims.claim("preferred_username", name).claim("email", email).claim("email_verified", true).claim("groups", groups);
    }

    @Override
    public void close() { server.stop(0); }
}
