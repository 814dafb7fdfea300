package dev.jeton.model;

import java.time.Instant;

/**
 * A node of a fleet, as the server knows it: whether it may act, the public key its agent
 * enrolled with (a JWK, null until it enrols), and its one-time enrolment token by hash only.
 */
public record Node(String name, boolean disabled, String publicKey, byte[] enrolTokenHash, Instant enrolExpiresAt, boolean enrolUsed,
                   Instant createdAt, Instant enrolledAt, Instant lastSeenAt) {
    public boolean enrolled() { return publicKey != null; }
}
