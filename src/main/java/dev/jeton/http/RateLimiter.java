package dev.jeton.http;

import java.util.concurrent.Semaphore;

/**
 * A token bucket (so many requests per second, bursting up to that many) plus a cap on
 * requests in flight. The bucket is one short critical section; a refused request costs nothing.
 */
public final class RateLimiter {
    private final double perNano;
    private final double capacity;
    private final Semaphore inFlight;
    private double tokens;
    private long lastRefill = System.nanoTime();

    public RateLimiter(int perSecond, int concurrent) {
        this.perNano = perSecond / 1e9;
        this.capacity = perSecond;
        this.tokens = perSecond;
        this.inFlight = new Semaphore(concurrent);
    }

    /** True when the request may go ahead; the caller must then {@link #release()}. */
    public boolean tryAcquire() {
        if (!takeToken()) return false;
        return inFlight.tryAcquire();
    }

    public void release() { inFlight.release(); }

    private synchronized boolean takeToken() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - lastRefill) * perNano);
        lastRefill = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
