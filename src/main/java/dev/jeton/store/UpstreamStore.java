package dev.jeton.store;

import dev.jeton.model.Upstream;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Upstream identity providers, the sign-ins in flight through them, and which upstream account
 * (issuer and subject) is which Jeton user. Each sign-in step is one conditional update, so a
 * state or a finished sign-in is used once on any number of instances.
 */
public interface UpstreamStore {
    /** Fails with CONFLICT when the name is taken. */
    void add(Upstream upstream);

    Optional<Upstream> byName(String name);

    List<Upstream> list();

    boolean delete(String name);

    /** A sign-in sent to the upstream; {@code stateHash} and {@code browserHash} are SHA-256 of the secrets. */
    void begin(Pending pending);

    /** Marks the sign-in with this state as answered, once: empty when unknown, expired or already answered. */
    Optional<Pending> answer(byte[] stateHash, Instant now);

    /** Records who signed in for the answered sign-in with this state. */
    void signedIn(byte[] stateHash, String userId);

    /**
     * The user of a finished sign-in of this browser for this return address, once: empty when
     * there is none, it was already taken, or it expired.
     */
    Optional<String> take(byte[] browserHash, String returnTo, Instant now);

    /** The user {@link #take} would give now, without using the sign-in up. */
    Optional<String> peek(byte[] browserHash, String returnTo, Instant now);

    /** The Jeton user linked to this upstream account. */
    Optional<String> linkedUser(String issuer, String subject);

    void link(String issuer, String subject, String userId, String upstream, Instant at);

    /** Replaces the groups this upstream gave the user; groups the operator gave stay as they are. */
    void replaceGroups(String userId, String upstream, List<String> groups);

    int deleteExpired(Instant now);

    /** A sign-in in flight: where it came from, where it returns, what the ID token must carry. */
    record Pending(byte[] stateHash, byte[] browserHash, String upstream, String nonce, String returnTo, Instant expiresAt) {
    }
}
