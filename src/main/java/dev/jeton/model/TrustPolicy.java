package dev.jeton.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SequencedMap;
import java.util.LinkedHashMap;

/**
 * Which tokens of a workload platform Jeton trusts, and as whom. A token matches when its
 * {@code iss} is {@code issuer}, its {@code aud} holds {@code audience}, its {@code sub} matches
 * {@code subject} and every claim in {@code claims} matches (each an exact value or a glob with
 * {@code *}), as Azure's federated credentials and Vault's {@code bound_claims} work. It then
 * speaks for {@code as}. {@code maxTtl} bounds both the age of the presented token and the
 * lifetime of what Jeton issues for it. {@code jwksFile} holds the issuer's keys when its
 * discovery document cannot be reached (a cluster's {@code /openid/v1/jwks}); null to discover.
 */
public record TrustPolicy(String id, String name, String issuer, String audience, String subject,
                          SequencedMap<String, String> claims, PrincipalRef as, Duration maxTtl, String jwksFile,
                          Instant createdAt) {
    public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(1);

    public TrustPolicy {
        claims = java.util.Collections.unmodifiableSequencedMap(new LinkedHashMap<>(claims));
    }

    public static SequencedMap<String, String> noClaims() { return new LinkedHashMap<>(Map.of()); }
}
