package dev.jeton.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Verifies tokens of configured upstream issuers (signature through their JWKS, found by OIDC
 * discovery or given, with Nimbus caching the keys; issuer, audience, expiry, tenant), and of
 * Jeton itself when {@code selfVerifier} is given.
 */
public final class TrustedIssuers {
    private static final System.Logger LOG = System.getLogger(TrustedIssuers.class.getName());
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

    private final List<TrustedIssuer> issuers;
    private final String selfIssuer;
    private final Function<String, JWTClaimsSet> selfVerifier;
    private final Map<String, DefaultJWTProcessor<SecurityContext>> processors = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param selfVerifier verifies Jeton's own tokens, or null when Jeton does not trust itself */
    public TrustedIssuers(List<TrustedIssuer> issuers, String selfIssuer, Function<String, JWTClaimsSet> selfVerifier) {
        this.issuers = List.copyOf(issuers);
        this.selfIssuer = selfIssuer;
        this.selfVerifier = selfVerifier;
    }

    public FederatedIdentity verify(String token, String tenant) {
        String iss;
        JWTClaimsSet unverified;
        try {
            // An encrypted JWT (five parts) parses too, but its claims are unreadable (null) here.
            unverified = JWTParser.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw Failure.of(Reason.INVALID_GRANT, "the token is not a JWT").because("token.malformed");
        }
        if (unverified == null) throw Failure.of(Reason.INVALID_GRANT, "the token is not a signed JWT").because("token.malformed");
        iss = unverified.getIssuer();
        if (iss == null) throw Failure.of(Reason.INVALID_GRANT, "the token has no issuer").because("token.no_issuer");
        if (selfVerifier != null && (iss.equals(selfIssuer) || iss.startsWith(selfIssuer + "/"))) {
            try {
                return new FederatedIdentity(null, selfVerifier.apply(token));
            } catch (Failure f) {
                throw Failure.of(Reason.INVALID_GRANT, "the token is not valid: " + f.detail()).because(f.check());
            }
        }
        TrustedIssuer trusted = issuers.stream()
                .filter(i -> i.issuer().equals(iss) && (tenant == null || i.tenant() == null || i.tenant().equals(tenant)))
                .findFirst()
                .orElseThrow(() -> Failure.of(Reason.INVALID_GRANT, "the token's issuer is not trusted").because("issuer.untrusted"));
        try {
            JWTClaimsSet claims = processor(trusted).process(token, null);
            Object tid = claims.getClaim("tid");
            if (trusted.tenant() != null && tid != null && !trusted.tenant().equals(tid.toString())) {
                throw Failure.of(Reason.INVALID_GRANT, "the token belongs to another tenant").because("tenant.mismatch");
            }
            return new FederatedIdentity(trusted, claims);
        } catch (Failure f) {
            throw f;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.INFO, "upstream token of {0} refused: {1}", trusted.name(), e.getMessage());
            throw Failure.of(Reason.INVALID_GRANT, "the token is not valid for this service").because(upstreamCheck(e));
        }
    }

    /** Names what Nimbus's processor rejected, for the audit log (its messages: "JWT aud claim rejected", "Expired JWT"...). */
    private static String upstreamCheck(Exception e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (message.contains("aud")) return "audience.mismatch";
        if (message.contains("expired")) return "token.expired";
        if (message.contains("signature") || message.contains("key")) return "token.signature";
        return "token.invalid";
    }

    private DefaultJWTProcessor<SecurityContext> processor(TrustedIssuer trusted) {
        return processors.computeIfAbsent(trusted.name(), n -> build(trusted));
    }

    private DefaultJWTProcessor<SecurityContext> build(TrustedIssuer trusted) {
        String jwksUri = trusted.jwksUri() != null ? trusted.jwksUri() : discover(trusted.issuer());
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(URI.create(jwksUri).toURL()).build();
        } catch (java.net.MalformedURLException e) {
            throw Failure.internal("bad JWKS URL for trusted issuer " + trusted.name(), e);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        Set<String> audiences = trusted.audiences().isEmpty() ? null : new HashSet<>(trusted.audiences());
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audiences,
                new JWTClaimsSet.Builder().issuer(trusted.issuer()).build(), Set.of("exp"), null));
        return processor;
    }

    private String discover(String issuer) {
        String url = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode doc = new ObjectMapper().readTree(res.body());
            if (res.statusCode() != 200 || !doc.hasNonNull("jwks_uri")) throw new IOException("no jwks_uri at " + url);
            return doc.get("jwks_uri").asText();
        } catch (IOException e) {
            throw Failure.of(Reason.UNAVAILABLE, "the trusted issuer's discovery document is unavailable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.of(Reason.UNAVAILABLE, "interrupted");
        }
    }
}
