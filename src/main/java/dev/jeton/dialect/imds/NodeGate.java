package dev.jeton.dialect.imds;

import dev.jeton.http.RateLimit;

import java.util.concurrent.Semaphore;

/**
 * The node's request budget, shared by every managed-identity endpoint on its listener (IMDS,
 * Arc, App Service): so many requests a second and so many in flight, as Azure counts them per
 * node, so that a second endpoint is no way around the first one's limit.
 */
record NodeGate(RateLimit rate, Semaphore inFlight, String node) {
    /** True when the request may go ahead; it then holds a permit until {@link #exit()}. */
    boolean tryEnter() {
        return rate.acquire(node) == 0 && inFlight.tryAcquire();
    }

    void exit() {
        inFlight.release();
    }
}
