package dev.jeton.engine;

import dev.jeton.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Deletes expired refresh tokens, families and revocation entries on a schedule. */
public final class Janitor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Janitor.class.getName());

    private final Store store;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("jeton-janitor").daemon(true).unstarted(r));

    public Janitor(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public void start(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One sweep; returns how many rows went. */
    public int sweep() {
        int removed = store.deleteExpired(clock.instant());
        if (removed > 0) LOG.log(System.Logger.Level.INFO, "janitor removed {0} expired rows", removed);
        return removed;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // A failed sweep is retried at the next interval; the scheduler must not die of it.
            LOG.log(System.Logger.Level.WARNING, "janitor sweep failed", e);
        }
    }

    @Override
    public void close() { scheduler.shutdownNow(); }
}
