package dev.jeton.store;

import dev.jeton.model.AuthorizationCode;

import java.time.Instant;

/** Authorization codes by the SHA-256 of their value. */
public interface CodeStore {
    void save(byte[] hash, AuthorizationCode code);

    /**
     * Marks the code used, atomically: exactly one caller gets REDEEMED. A second use gets
     * REPLAYED with what the first use issued, so it can be revoked.
     */
    Redemption redeem(byte[] hash, Instant now);

    /** Records what the code's first use issued. */
    void attachIssued(byte[] hash, String familyId, String accessJti, Instant accessExpiresAt);

    int deleteExpired(Instant before);

    enum Outcome { REDEEMED, REPLAYED, EXPIRED, UNKNOWN }

    /** {@code code} is null only for UNKNOWN. */
    record Redemption(Outcome outcome, AuthorizationCode code) {
    }
}
