package dev.jeton.http;

import dev.jeton.model.Failure;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who is asking and whether they may: the source address of a request (through trusted proxies
 * only) and the per-client and per-source rate limits. A limit that is off costs nothing.
 */
public final class RateLimits {
    private final RateLimit perClient;
    private final RateLimit perSource;
    private final SourceAddress sources;

    /** @param perClient null for no limit per client or user; @param perSource null for no limit per address */
    public RateLimits(RateLimit perClient, RateLimit perSource, SourceAddress sources) {
        this.perClient = perClient;
        this.perSource = perSource;
        this.sources = sources;
    }

    /** The client's address: the peer, or what a trusted proxy says in X-Forwarded-For. */
    public String source(ServerRequest req) { return sources.of(req); }

    /**
     * Counts a request against the client id or user name it claims (null: it claims none that
     * identifies one caller, such as a built-in public client); RATE_LIMITED when over the limit.
     */
    public void checkClient(String clientOrUser) {
        if (perClient == null || clientOrUser == null) return;
        long wait = perClient.acquire(clientOrUser);
        if (wait > 0) throw Failure.rateLimited("Too many requests for this client; try again in " + wait + " s", wait);
    }

    boolean limitsSources() { return perSource != null; }

    /** 0 when a request from this address may go ahead, else the seconds to wait. */
    long acquireSource(String address) { return perSource.acquire(address); }
}
