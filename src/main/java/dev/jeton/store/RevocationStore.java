package dev.jeton.store;

import java.time.Instant;

/**
 * Token ids that must not be accepted again: access tokens revoked before their expiry, and the
 * {@code jti} of every client assertion (RFC 7523 3, single use). Rows go once the token would have expired.
 */
public interface RevocationStore {
    void revoke(String jti, Instant expiresAt);

    boolean isRevoked(String jti);

    /**
     * Records a client assertion's {@code jti} atomically; false when this client already used it
     * (on any instance: the primary key decides, not a read before the write).
     */
    boolean useOnce(String clientId, String jti, Instant expiresAt);

    int deleteExpired(Instant now);
}
