package dev.jeton.federation;

import dev.jeton.model.TrustPolicy;

import java.time.Instant;
import java.util.Map;

/**
 * A workload token that verified and the policy it matched: {@code subject} is its {@code sub},
 * {@code claims} all of its claims as parsed, {@code expiresAt} its {@code exp}.
 */
public record FederatedToken(TrustPolicy policy, String issuer, String subject, Map<String, Object> claims, Instant issuedAt,
                             Instant expiresAt) {
}
