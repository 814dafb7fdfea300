package dev.jeton.model;

import java.time.Instant;
import java.util.Set;

/** A chain of refresh tokens from one login: what every token of the chain grants. */
public record RefreshFamily(
        String id,
        Subject subject,
        String clientId,
        String dialect,
        RefreshPolicy policy,
        Set<String> scope,
        String audience,
        Instant createdAt,
        Instant expiresAt) {

    public RefreshFamily {
        scope = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(scope));
    }
}
