package dev.jeton.engine.imds;

import dev.jeton.model.ManagedIdentity;
import dev.jeton.store.IdentityStore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import dev.jeton.engine.Recheck;

/**
 * The identities of this instance's node, held in memory. The store's change counter is read
 * at most once per {@code recheck}, so assignments made by the CLI apply within that bound.
 */
public final class NodeIdentities {
    private final IdentityStore store;
    private final String node;
    private final Recheck recheck;
    private volatile Loaded loaded;

    public NodeIdentities(IdentityStore store, String node, Duration recheck, Clock clock) {
        this.store = store;
        this.node = node;
        this.recheck = new Recheck(recheck, clock);
        // Loaded before the first request: concurrent first callers must not see an empty node.
        reload();
    }

    /** Reloads at once, for changes made in this process: the next request already sees them. */
    public void reload() {
        long version = store.version();
        loaded = new Loaded(version, store.forNode(node));
    }

    public String node() { return node; }

    public List<ManagedIdentity> identities() {
        if (recheck.due()) {
            long version = store.version();
            if (version != loaded.version()) loaded = new Loaded(version, store.forNode(node));
        }
        return loaded.identities();
    }

    private record Loaded(long version, List<ManagedIdentity> identities) {
    }
}
