package dev.jeton.store;

import dev.jeton.model.RefreshFamily;
import dev.jeton.secrets.TokenKey;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Refresh families and their tokens, each found by its {@link TokenKey}. Every decision that two callers could race
 * on is one atomic store operation: nothing here reads, decides in Java, then writes.
 */
public interface RefreshStore {
    /** Opens a family with its first token; the token is durable when this returns. */
    default void open(RefreshFamily family, TokenKey token, Instant tokenExpiresAt) {
        open(family, token, tokenExpiresAt, null);
    }

    /**
     * As {@link #open(RefreshFamily, TokenKey, Instant)}; a non-null {@code binding} also makes the
     * token end when unused until its idle expiry (which {@link #present} moves forward) and
     * records the credential it was issued against.
     */
    void open(RefreshFamily family, TokenKey token, Instant tokenExpiresAt, Binding binding);

    /**
     * A reusable token presented for use: where it stands now. A VALID token whose family has an
     * idle expiry gets it moved to {@code min(now + idle, family expiry)} by one conditional
     * update that only succeeds while the family is unrevoked and not idle, so a use can never
     * revive a token that a concurrent revocation or the idle limit has ended. Rotation is not
     * this method's business: use {@link #rotate} for rotating families.
     */
    Presented present(TokenKey token, Instant now, Duration idle);

    /** The family a token belongs to, whatever its state; a read for checks before redeeming. */
    Optional<TokenState> find(TokenKey token);

    /**
     * Redeems {@code presented} for {@code next} as one compare-and-set on (family,
     * generation). A token older than the family's current generation is reuse: the family
     * is revoked (left alive under ROTATING_LENIENT), unless it is the immediate predecessor inside the grace window, which is
     * answered as a retry with a sibling token at the current generation. A token of another
     * client than {@code expectedClientId} (null: any) changes nothing; a REUSABLE family's
     * valid token is answered VALID and left as it is.
     */
    Rotation rotate(TokenKey presented, String expectedClientId, TokenKey next, Instant nextExpiresAt, Instant now, Duration grace);

    /** Revokes the family of a token; false when the token is unknown. Idempotent. */
    boolean revokeByToken(TokenKey token, Instant now);

    boolean revokeFamily(String familyId, Instant now);

    /** Deletes tokens and families past their expiry, and families gone idle with their tokens; returns how many rows went. */
    int deleteExpired(Instant now);

    /**
     * {@code idleExpiresAt} and {@code credential} are null unless the family was opened with a
     * {@link Binding}.
     */
    record TokenState(RefreshFamily family, long tokenGeneration, long familyGeneration,
                      Instant tokenExpiresAt, Instant revokedAt, Instant idleExpiresAt, String credential) {
        public boolean revoked() { return revokedAt != null; }

        /** Where the token stands at {@code now}: expiry first, as in rotation, then revocation, then idleness. */
        public Standing standing(Instant now) {
            if (!now.isBefore(tokenExpiresAt) || !now.isBefore(family.expiresAt())) return Standing.EXPIRED;
            if (revoked()) return Standing.REVOKED;
            if (idleExpiresAt != null && !now.isBefore(idleExpiresAt)) return Standing.IDLE;
            return Standing.VALID;
        }
    }

    /** What a login's identity token is tied to: a digest of the credential it was issued against, and its first idle expiry. */
    record Binding(String credential, Instant idleExpiresAt) {
    }

    enum Standing { VALID, EXPIRED, REVOKED, IDLE, UNKNOWN }

    /** {@code state} is null only for UNKNOWN; otherwise as read (an idle expiry moved by this use is not in it). */
    record Presented(Standing standing, TokenState state) {
    }

    enum Outcome { ROTATED, RETRY, VALID, REUSED, REVOKED, EXPIRED, WRONG_CLIENT, UNKNOWN }

    /**
     * {@code family} is null only for UNKNOWN. {@code userActive} says whether the family's user was
     * still active, when the store read it along with the rotation (on PostgreSQL the one-statement
     * rotation does, sparing the grant a second round trip); null when it did not look, and then
     * the caller asks the user store.
     */
    record Rotation(Outcome outcome, RefreshFamily family, Boolean userActive) {
        public Rotation(Outcome outcome, RefreshFamily family) {
            this(outcome, family, null);
        }
    }
}
