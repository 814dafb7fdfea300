package dev.jeton.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A workload platform's OIDC issuer over real HTTP on loopback, as Jeton meets one: a discovery
 * document and a JWKS, and tokens signed RS256 in the shapes real platforms give their workloads:
 * Kubernetes projected service-account tokens and GitHub Actions OIDC tokens. It can rotate its
 * key and go down, and counts the JWKS fetches it served.
 */
public final class WorkloadIssuer implements AutoCloseable {
    private final HttpServer server;
    private final String issuer;
    private final Clock clock;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private volatile RSAKey key = newKey();
    private volatile boolean down;

    private WorkloadIssuer(Clock clock) throws IOException {
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/openid-configuration", ex -> answer(ex, """
                {"issuer":"%s","jwks_uri":"%s/openid/v1/jwks","response_types_supported":["id_token"],
                 "subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}""".formatted(issuer, issuer)));
        server.createContext("/openid/v1/jwks", ex -> {
            jwksFetches.incrementAndGet();
            answer(ex, jwks());
        });
        server.start();
    }

    public static WorkloadIssuer start(Clock clock) {
        try {
            return new WorkloadIssuer(clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String issuer() { return issuer; }

    /** The public keys, as a cluster publishes them at /openid/v1/jwks. */
    public String jwks() { return new JWKSet(key.toPublicJWK()).toString(); }

    public Path writeJwks(Path file) {
        try {
            return Files.writeString(file, jwks());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int jwksFetches() { return jwksFetches.get(); }

    /** A new signing key; the old one is no longer published. */
    public void rotateKey() { key = newKey(); }

    /** Answers 503 to everything until {@link #up}. */
    public void down() { down = true; }

    public void up() { down = false; }

    /** A projected service-account token for NS/NAME with the kubernetes.io claims, valid for an hour from now. */
    public JWTClaimsSet.Builder kubernetes(String namespace, String serviceAccount, String audience) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("system:serviceaccount:" + namespace + ":" + serviceAccount)
                .audience(List.of(audience)).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1)))).jwtID(UUID.randomUUID().toString())
                .claim("kubernetes.io", Map.of("namespace", namespace,
                        "serviceaccount", Map.of("name", serviceAccount, "uid", UUID.randomUUID().toString()),
                        "pod", Map.of("name", serviceAccount + "-7d9f8", "uid", UUID.randomUUID().toString()),
                        "node", Map.of("name", "node-1", "uid", UUID.randomUUID().toString())));
    }

    /** A GitHub Actions OIDC token for a push to {@code ref} of OWNER/REPO, valid about five minutes, nbf ten minutes back. */
    public JWTClaimsSet.Builder github(String repository, String ref, String audience) {
        Instant now = clock.instant();
        String owner = repository.substring(0, repository.indexOf('/'));
        return new JWTClaimsSet.Builder().issuer(issuer).subject("repo:" + repository + ":ref:" + ref).audience(audience)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now.minus(Duration.ofMinutes(10))))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).jwtID(UUID.randomUUID().toString())
                .claim("repository", repository).claim("repository_owner", owner).claim("ref", ref)
                .claim("sha", "8a1f2b3c4d5e6f708192a3b4c5d6e7f809112233").claim("workflow", "build")
                .claim("job_workflow_ref", repository + "/.github/workflows/build.yml@" + ref)
                .claim("event_name", "push").claim("actor", owner).claim("run_id", "4242");
    }

    public String sign(JWTClaimsSet.Builder claims) {
        return sign(claims, key);
    }

    /** Signed with a key this issuer never published (an attacker's). */
    public String signWithForeignKey(JWTClaimsSet.Builder claims) {
        return sign(claims, newKey());
    }

    private static String sign(JWTClaimsSet.Builder claims, RSAKey with) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).type(JOSEObjectType.JWT).build(),
                    claims.build());
            jwt.sign(new RSASSASigner(with));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(down ? 503 : 200, down ? -1 : bytes.length);
        if (!down) ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() { server.stop(0); }
}
