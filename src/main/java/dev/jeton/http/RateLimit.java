package dev.jeton.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one rate limiter: so many requests per period for each key (a client, a user, an
 * address, a node), a token bucket of {@code count} tokens refilled evenly over {@code period}.
 * Each key's bucket is one number, its "theoretical arrival time" (the GCRA form of a token
 * bucket), and a check is one compare-and-set on it: no lock, and no state allocated for a key
 * already seen. Bucket4j would do the same job with a dependency and a state object allocated
 * per attempt.
 * <p>
 * Time is the injected {@link Clock}, as everywhere in Jeton, so tests move it by hand. A wall
 * clock may step back (NTP): a bucket is then never further ahead of "now" than one full
 * period, so a step back refuses a client for at most one refill interval, not for the step.
 * <p>
 * Keys idle for a whole period are dropped (their bucket would be full anyway); at most
 * {@value #MAX_KEYS} keys are kept, so a flood of made-up names costs bounded memory.
 */
public final class RateLimit {
    static final int MAX_KEYS = 100_000;

    private final long interval;
    private final long burst;
    private final Clock clock;
    private final Cache<String, AtomicLong> buckets;

    public RateLimit(int count, Duration period, Clock clock) {
        if (count < 1) throw new IllegalArgumentException("a rate needs at least one request per period");
        this.burst = period.toNanos();
        this.interval = Math.max(1, burst / count);
        this.clock = clock;
        // Idle keys expire by the same clock that fills the buckets: the two never disagree on how long a key was idle.
        this.buckets = Caffeine.newBuilder().expireAfterAccess(period).maximumSize(MAX_KEYS).ticker(this::nanos).build();
    }

    /** 0 when the request may go ahead (and is counted), else the whole seconds until it would. */
    public long acquire(String key) {
        AtomicLong arrival = buckets.get(key, RateLimit::emptyBucket);
        long now = nanos();
        while (true) {
            long current = arrival.get();
            if (current > now + burst) {
                // Only a clock that stepped back puts a bucket this far ahead: start it over as empty.
                arrival.compareAndSet(current, now + burst);
                continue;
            }
            long next = Math.max(current, now) + interval;
            long ahead = next - now - burst;
            if (ahead > 0) return Math.max(1, (ahead + 999_999_999) / 1_000_000_000);
            if (arrival.compareAndSet(current, next)) return 0;
        }
    }

    /** The clock in nanoseconds since the epoch: good until the year 2262. */
    private long nanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static AtomicLong emptyBucket(String key) {
        return new AtomicLong(Long.MIN_VALUE);
    }
}
