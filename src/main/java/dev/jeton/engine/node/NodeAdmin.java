package dev.jeton.engine.node;

import dev.jeton.model.Failure;
import dev.jeton.model.Node;
import dev.jeton.model.Secret;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.NodeStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Adds, lists, disables and removes the nodes of a fleet, in the CLI's terms. */
public final class NodeAdmin {
    /** Long enough to copy the token onto a new node and start its agent, short enough that a leaked one is soon worthless. */
    public static final Duration ENROL_TOKEN_TTL = Duration.ofHours(1);
    /** As managed identities name nodes, so that {@code identity assign --node} and {@code node add} agree. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final NodeStore store;
    private final RandomTokens random;
    private final Clock clock;

    public NodeAdmin(NodeStore store, RandomTokens random, Clock clock) {
        this.store = store;
        this.random = random;
        this.clock = clock;
    }

    /** A new node and its enrolment token, shown this once: only its hash is kept. */
    public record Added(Node node, Secret enrolToken) {
    }

    public Added add(String name) {
        if (name == null || !NAME.matcher(name).matches()) throw Failure.invalidRequest("name", "a node name is 1-128 of A-Z a-z 0-9 . _ -, starting with a letter or digit");
        Secret token = random.secret("jeton-enrol-");
        Instant now = clock.instant();
        Node node = new Node(name, false, null, SecretHash.of(token), now.plus(ENROL_TOKEN_TTL), false, now, null, null);
        store.add(node);
        return new Added(node, token);
    }

    public List<Node> list() { return store.list(); }

    public Optional<Node> show(String name) { return store.byName(name); }

    public void disable(String name) {
        if (!store.setDisabled(name, true)) throw unknown(name);
    }

    public void enable(String name) {
        if (!store.setDisabled(name, false)) throw unknown(name);
    }

    /** The node's key goes with it: its agent is refused from the next request on, and must be added and enrolled anew. */
    public void remove(String name) {
        if (!store.delete(name)) throw unknown(name);
    }

    private static Failure unknown(String name) {
        return Failure.notFound("no node named " + name);
    }
}
