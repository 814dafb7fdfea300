package dev.jeton.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Says "now" to exactly one caller per interval: the in-memory copies of clients, rules and
 * identities use it to read the store's change counter at most that often, however busy.
 * Time is the engine's clock, so a test moves it past the interval instead of waiting.
 */
public final class Recheck {
    private final long intervalMillis;
    private final Clock clock;
    private final AtomicLong next;

    public Recheck(Duration interval, Clock clock) {
        this.intervalMillis = interval.toMillis();
        this.clock = clock;
        this.next = new AtomicLong(clock.millis());
    }

    public boolean due() {
        long now = clock.millis();
        long due = next.get();
        // A wall clock stepped back by more than an interval must not stop the rechecks until it has caught up.
        return (now >= due || due - now > intervalMillis) && next.compareAndSet(due, now + intervalMillis);
    }

    /** Makes the next call due at once. */
    public void now() { next.set(clock.millis()); }
}
