package dev.jeton.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Says "now" to exactly one caller per interval: the in-memory copies of clients, rules and
 * identities use it to read the store's change counter at most that often, however busy.
 */
public final class Recheck {
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(System.nanoTime());

    public Recheck(Duration interval) { this.intervalNanos = interval.toNanos(); }

    public boolean due() {
        long now = System.nanoTime();
        long due = next.get();
        return now - due >= 0 && next.compareAndSet(due, now + intervalNanos);
    }

    /** Makes the next call due at once. */
    public void now() { next.set(System.nanoTime()); }
}
