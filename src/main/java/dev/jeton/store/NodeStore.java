package dev.jeton.store;

import dev.jeton.model.Node;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The nodes of a fleet and the assertions their agents have used. */
public interface NodeStore {
    /** Fails with CONFLICT when the name is taken. */
    void add(Node node);

    Optional<Node> byName(String name);

    List<Node> list();

    boolean setDisabled(String name, boolean disabled);

    boolean delete(String name);

    /**
     * Records the node's public key if, in the same statement, the token hash is the node's, not
     * used, not expired at {@code now} and the node enabled: two racing uses of one token yield one
     * enrolment. False when any of these does not hold; the caller reads the row to say which.
     */
    boolean enrol(String name, byte[] tokenHash, String publicKey, Instant now);

    /** Records an assertion's id; false when the node used it already (a replay), on any server. */
    boolean useAssertion(String node, String jti, Instant expiresAt);

    void seen(String name, Instant at);

    /** Assertion ids that expired before {@code now}. */
    int deleteExpired(Instant now);
}
