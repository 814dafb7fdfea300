package dev.jeton.store;

import java.time.Instant;

/** Access tokens revoked before their expiry, by {@code jti}; rows go once the token would have expired. */
public interface RevocationStore {
    void revoke(String jti, Instant expiresAt);

    boolean isRevoked(String jti);

    int deleteExpired(Instant now);
}
