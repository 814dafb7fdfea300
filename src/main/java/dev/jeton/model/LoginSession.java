package dev.jeton.model;

import java.time.Instant;
import java.util.List;

/**
 * A browser's login at the authorization endpoint. {@code id} is public (the ID token's
 * {@code sid}); the cookie's secret is stored only as a hash. {@code credential} is a digest
 * of the password hash the user logged in with. It ends at {@code idleExpiresAt} (moved
 * forward by each use), at {@code expiresAt}, or when revoked.
 */
public record LoginSession(String id, String userId, Instant authTime, String acr, List<String> amr, String credential,
                           Instant createdAt, Instant idleExpiresAt, Instant expiresAt, Instant revokedAt) {
    public LoginSession {
        amr = List.copyOf(amr);
    }

    public boolean activeAt(Instant now) {
        return revokedAt == null && now.isBefore(idleExpiresAt) && now.isBefore(expiresAt);
    }

    /** How this session authenticated, with its id as the ID token's sid. */
    public AuthContext authContext() { return new AuthContext(authTime, acr, amr, id); }
}
