package dev.jeton.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import dev.jeton.model.TrustPolicy;
import dev.jeton.store.TrustStore;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Verifies the tokens that platforms give their workloads (Kubernetes service-account tokens,
 * GitHub Actions and GitLab CI OIDC tokens, another Jeton's) against the trust policies, one
 * check at a time in the order below, each refusal with its own reason for the audit log:
 * a signed JWT, an asymmetric algorithm, a known issuer, a verifying signature, {@code exp} not
 * passed and {@code nbf}/{@code iat} not ahead (both with {@link #SKEW}), a {@code sub}, a policy
 * whose audience the token names, a policy whose subject and claims match, and an age within
 * the policy's {@code maxTtl}. Policies are compiled at load and reloaded when the store's
 * version moves, read at most once per recheck.
 */
public final class WorkloadTokens {
    /** Clock difference tolerated between the platform and Jeton, as registries allow. */
    public static final Duration SKEW = Duration.ofSeconds(60);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final TrustStore store;
    private final BooleanSupplier recheckDue;
    private final java.util.function.Supplier<HttpClient> http;
    private final Clock clock;
    private final Duration refetchEvery;
    private final Map<String, IssuerKeys> keysByIssuer = new ConcurrentHashMap<>();
    private volatile Loaded loaded;

    /** @param http builds the client that fetches issuers' keys, on first need: most starts never fetch any */
    public WorkloadTokens(TrustStore store, BooleanSupplier recheckDue, java.util.function.Supplier<HttpClient> http, Clock clock,
                          Duration refetchEvery) {
        this.store = store;
        this.recheckDue = recheckDue;
        this.http = once(http);
        this.clock = clock;
        this.refetchEvery = refetchEvery;
        this.loaded = load();
    }

    /** Whether some policy trusts {@code issuer}: callers with several kinds of trusted tokens route by it. */
    public boolean trustsIssuer(String issuer) {
        return issuer != null && current().byIssuer().containsKey(issuer);
    }

    /** The unverified {@code iss} of a token, to route it; null when it is not a JWT or names none. */
    public static String issuerOf(String token) {
        try {
            JWTClaimsSet claims = JWTParser.parse(token).getJWTClaimsSet();
            return claims == null ? null : claims.getIssuer();
        } catch (ParseException e) {
            return null;
        }
    }

    /** Reloads at once, for changes made in this process. */
    public void invalidate() {
        loaded = load();
    }

    public FederatedToken verify(String token) {
        SignedJWT jwt = signed(token);
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) throw refused("the token is signed with a shared secret (" + alg
                + "), which a workload platform never uses", "token.alg_hmac");
        if (!ALGORITHMS.contains(alg)) throw refused("the token's algorithm " + alg + " is not supported", "token.alg_unsupported");
        JWTClaimsSet claims = claims(jwt);
        String iss = claims.getIssuer();
        if (iss == null) throw refused("the token has no issuer (iss)", "token.no_issuer");
        List<PolicyMatch> policies = current().byIssuer().get(iss);
        if (policies == null) throw refused("no trust policy names the token's issuer", "issuer.unknown");
        verifySignature(jwt, keys(iss, policies));
        Instant now = clock.instant();
        Instant exp = instant(claims.getExpirationTime());
        if (exp == null) throw refused("the token has no expiry (exp)", "token.no_exp");
        if (!now.isBefore(exp.plus(SKEW))) throw refused("the token has expired", "token.expired");
        Instant nbf = instant(claims.getNotBeforeTime());
        Instant iat = instant(claims.getIssueTime());
        if ((nbf != null && nbf.isAfter(now.plus(SKEW))) || (iat != null && iat.isAfter(now.plus(SKEW)))) {
            throw refused("the token is not valid yet", "token.not_yet_valid");
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isEmpty()) throw refused("the token has no subject (sub)", "token.no_subject");
        List<String> audiences = Objects.requireNonNullElse(claims.getAudience(), List.of());
        List<PolicyMatch> forAudience = policies.stream().filter(p -> p.audienceIn(audiences)).toList();
        if (forAudience.isEmpty()) throw refused("the token's audience is not one a trust policy of its issuer accepts",
                "audience.mismatch");
        Map<String, Object> all = claims.toJSONObject();
        PolicyMatch match = forAudience.stream().filter(p -> p.matches(sub, all)).findFirst()
                .orElseThrow(() -> refused("no trust policy matches the token's subject and claims", "policy.no_match"));
        Instant issued = iat != null ? iat : nbf;
        TrustPolicy policy = match.policy();
        if (issued == null) throw refused("the token says neither when it was issued (iat) nor since when it is valid (nbf)",
                "token.no_iat");
        if (now.isAfter(issued.plus(policy.maxTtl()).plus(SKEW))) {
            throw refused("the token is older than trust policy " + policy.name() + " allows (" + policy.maxTtl().toSeconds() + " s)",
                    "token.too_old");
        }
        return new FederatedToken(policy, iss, sub, all, issued, exp);
    }

    private static SignedJWT signed(String token) {
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            throw refused("the token is not a JWT", "token.malformed");
        }
        if (parsed instanceof PlainJWT) throw refused("the token is unsigned (alg none)", "token.alg_none");
        if (!(parsed instanceof SignedJWT jwt)) throw refused("the token is encrypted, not signed", "token.malformed");
        return jwt;
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused("the token's claims are not a JSON object", "token.malformed");
        }
    }

    private static void verifySignature(SignedJWT jwt, IssuerKeys keys) {
        JWSHeader header = jwt.getHeader();
        for (JWK key : keys.candidates(header.getKeyID())) {
            JWSVerifier verifier = verifierFor(key, header.getAlgorithm());
            try {
                if (verifier != null && jwt.verify(verifier)) return;
            } catch (JOSEException | IllegalStateException e) {
                // A key the provider cannot use for this algorithm: try the next one.
            }
        }
        throw refused("the token's signature does not verify with its issuer's keys", "token.signature");
    }

    /** A verifier of {@code alg} with this key, or null when the key is not for signatures or not of that family. */
    static JWSVerifier verifierFor(JWK key, JWSAlgorithm alg) {
        if (key.getKeyUse() != null && key.getKeyUse() != KeyUse.SIGNATURE) return null;
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) return null;
        try {
            if (key instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(alg)) return new RSASSAVerifier(rsa);
            if (key instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(alg)) return new ECDSAVerifier(ec);
        } catch (JOSEException e) {
            return null;
        }
        return null;
    }

    private IssuerKeys keys(String issuer, List<PolicyMatch> policies) {
        // One key source per issuer: a JWKS file where any of its policies names one.
        Path file = policies.stream().map(p -> p.policy().jwksFile()).filter(Objects::nonNull).findFirst().map(Path::of).orElse(null);
        String cacheKey = issuer + "\n" + Optional.ofNullable(file).map(Path::toString).orElse("");
        return keysByIssuer.computeIfAbsent(cacheKey, k -> new IssuerKeys(issuer, file, http, clock, refetchEvery));
    }

    private Loaded current() {
        Loaded held = loaded;
        if (recheckDue.getAsBoolean() && store.version() != held.version()) {
            held = load();
            loaded = held;
        }
        return held;
    }

    private Loaded load() {
        long version = store.version();
        Map<String, List<PolicyMatch>> byIssuer = new java.util.HashMap<>();
        for (TrustPolicy p : store.list()) byIssuer.computeIfAbsent(p.issuer(), i -> new java.util.ArrayList<>()).add(PolicyMatch.compile(p));
        byIssuer.replaceAll((issuer, list) -> List.copyOf(list));
        return new Loaded(version, Map.copyOf(byIssuer));
    }

    /** The supplier's value, made on the first call only. */
    private static <T> java.util.function.Supplier<T> once(java.util.function.Supplier<T> make) {
        return new java.util.function.Supplier<>() {
            private volatile T made;

            @Override
            public T get() {
                T held = made;
                if (held == null) {
                    synchronized (this) {
                        if (made == null) made = make.get();
                        held = made;
                    }
                }
                return held;
            }
        };
    }

    private static Instant instant(Date date) { return date == null ? null : date.toInstant(); }

    private static Failure refused(String detail, String check) {
        return Failure.of(Reason.INVALID_GRANT, detail).because(check);
    }

    private record Loaded(long version, Map<String, List<PolicyMatch>> byIssuer) {
    }
}
