package dev.jeton.model;

import java.time.Instant;
import java.util.Set;

/** A long-lived key that stands for its owner; the key itself is shown once and stored as SHA-256. */
public record ApiKey(String id, String userId, String name, Set<String> scopes, Instant createdAt, Instant expiresAt,
                     Instant revokedAt) {
    public ApiKey {
        scopes = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(scopes));
    }

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
