package dev.jeton.engine;

import dev.jeton.store.Store;

import java.time.Clock;

/**
 * Deletes expired refresh tokens, families, revocation entries, codes, device codes, assertion ids
 * and login sessions; a server's background jobs run it on a schedule (janitor-interval). The
 * store deletes in bounded batches, each its own short write, so a sweep never stalls token writes.
 */
public final class Janitor {
    private static final System.Logger LOG = System.getLogger(Janitor.class.getName());

    private final Store store;
    private final Clock clock;

    public Janitor(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** One sweep; returns how many rows went. */
    public int sweep() {
        int removed = store.deleteExpired(clock.instant());
        if (removed > 0) LOG.log(System.Logger.Level.INFO, "janitor removed {0} expired rows", removed);
        return removed;
    }
}
