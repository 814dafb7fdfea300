package dev.jeton.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * So many requests per period for each key (a client, a user, an address): a token bucket of
 * {@code count} tokens refilled evenly over {@code period}, kept as one number per key, its
 * "theoretical arrival time" (the GCRA form of a token bucket). A check is one compare-and-set
 * on that number: no lock, and nothing allocated for a key already seen. Bucket4j would do the
 * same job with a dependency and a state object allocated per attempt.
 * <p>
 * Keys idle for a whole period are dropped (their bucket would be full anyway); at most
 * {@value #MAX_KEYS} keys are kept, so a flood of made-up names costs bounded memory.
 */
public final class RateLimit {
    static final int MAX_KEYS = 100_000;

    private final long interval;
    private final long burst;
    private final LongSupplier nanoTime;
    private final Cache<String, AtomicLong> buckets;

    public RateLimit(int count, Duration period, LongSupplier nanoTime) {
        if (count < 1) throw new IllegalArgumentException("a rate needs at least one request per period");
        this.burst = period.toNanos();
        this.interval = Math.max(1, burst / count);
        this.nanoTime = nanoTime;
        this.buckets = Caffeine.newBuilder().expireAfterAccess(period).maximumSize(MAX_KEYS).build();
    }

    /** 0 when the request may go ahead (and is counted), else the whole seconds until it would. */
    public long acquire(String key) {
        AtomicLong arrival = buckets.get(key, RateLimit::emptyBucket);
        long now = nanoTime.getAsLong();
        while (true) {
            long current = arrival.get();
            long next = Math.max(current, now) + interval;
            long ahead = next - now - burst;
            if (ahead > 0) return Math.max(1, (ahead + 999_999_999) / 1_000_000_000);
            if (arrival.compareAndSet(current, next)) return 0;
        }
    }

    private static AtomicLong emptyBucket(String key) {
        return new AtomicLong(Long.MIN_VALUE);
    }
}
