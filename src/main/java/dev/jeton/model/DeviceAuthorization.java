package dev.jeton.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * An RFC 8628 device authorization as stored: which client asked for which scopes, whether the
 * user has decided (and who), and how often the device may poll. The codes themselves are only
 * held as hashes.
 */
public record DeviceAuthorization(String clientId, Set<String> scope, Status status, String userId, Duration interval,
                                  Instant lastPollAt, Instant createdAt, Instant expiresAt) {
    public DeviceAuthorization {
        scope = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(scope));
    }

    public enum Status { PENDING, APPROVED, DENIED, REDEEMED }

    public boolean expiredAt(Instant now) { return !now.isBefore(expiresAt); }
}
