package dev.jeton.store;

import dev.jeton.model.RefreshFamily;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Refresh families and the hashes of their tokens. Every decision that two callers could race
 * on is one atomic store operation: nothing here reads, decides in Java, then writes.
 */
public interface RefreshStore {
    /** Opens a family with its first token; the token is durable when this returns. */
    void open(RefreshFamily family, byte[] tokenHash, Instant tokenExpiresAt);

    /** The family a token belongs to, whatever its state; a read for checks before redeeming. */
    Optional<TokenState> find(byte[] tokenHash);

    /**
     * Redeems {@code presented} for {@code next} as one compare-and-set on (family,
     * generation). A token older than the family's current generation is reuse: the family
     * is revoked (left alive under ROTATING_LENIENT), unless it is the immediate predecessor inside the grace window, which is
     * answered as a retry with a sibling token at the current generation. A token of another
     * client than {@code expectedClientId} (null: any) changes nothing; a REUSABLE family's
     * valid token is answered VALID and left as it is.
     */
    Rotation rotate(byte[] presented, String expectedClientId, byte[] next, Instant nextExpiresAt, Instant now, Duration grace);

    /** Revokes the family of a token; false when the token is unknown. Idempotent. */
    boolean revokeByToken(byte[] tokenHash, Instant now);

    boolean revokeFamily(String familyId, Instant now);

    /** Deletes tokens and families past their expiry; returns how many rows went. */
    int deleteExpired(Instant now);

    record TokenState(RefreshFamily family, long tokenGeneration, long familyGeneration,
                      Instant tokenExpiresAt, Instant revokedAt) {
        public boolean revoked() { return revokedAt != null; }
    }

    enum Outcome { ROTATED, RETRY, VALID, REUSED, REVOKED, EXPIRED, WRONG_CLIENT, UNKNOWN }

    /** {@code family} is null only for UNKNOWN. */
    record Rotation(Outcome outcome, RefreshFamily family) {
    }
}
