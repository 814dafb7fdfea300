package dev.jeton.store;

import dev.jeton.model.DeviceAuthorization;

import java.time.Instant;
import java.util.Optional;

/** RFC 8628 device authorizations, by the SHA-256 of their device code or of their normalised user code. */
public interface DeviceStore {
    void save(byte[] deviceHash, byte[] userCodeHash, DeviceAuthorization authorization);

    Optional<DeviceAuthorization> byDeviceCode(byte[] deviceHash);

    Optional<DeviceAuthorization> byUserCode(byte[] userCodeHash);

    /**
     * The user's decision, atomically: true only when the authorization was still pending and
     * unexpired; approving records the user.
     */
    boolean decide(byte[] userCodeHash, boolean approved, String userId, Instant now);

    /**
     * One poll, atomically. A poll at least {@code interval} after the last accepted one (or the
     * first) is accepted and moves {@code last_poll_at}; if the authorization was approved it is
     * redeemed by exactly this poll. An early poll raises the interval by 5 s and does not restart
     * the clock (so a client that slows down as told gets through).
     */
    Poll poll(byte[] deviceHash, Instant now);

    int deleteExpired(Instant before);

    enum Outcome { UNKNOWN, EXPIRED, ALREADY_REDEEMED, SLOW_DOWN, PENDING, DENIED, REDEEMED }

    /** {@code authorization} as it was after this poll; null only for UNKNOWN. */
    record Poll(Outcome outcome, DeviceAuthorization authorization) {
    }
}
