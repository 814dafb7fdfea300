package dev.jeton.http.helidon;

import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.function.Predicate;

/**
 * A body that no route reads (anything but a POST to a dialect) gets its answer with
 * {@code Connection: close}. Otherwise Helidon would drain it after the answer, when the
 * slow-client clock has stopped, and a client could hold the connection by trickling it.
 * <p>
 * Upstream: Helidon 4.5.0 {@code Http1Connection.consumeEntity} (called once routing is done)
 * reads whatever is left of the entity unless the response says {@code Connection: close}; it
 * has no bound of its own on how long that may take. No upstream issue: this is Helidon's
 * design (it keeps the connection usable), and the bound is Jeton's policy. Remove if Helidon
 * bounds the draining itself (a time or size limit on {@code consumeEntity}), keeping
 * {@code RequestLimitsTest.bodyWhenNoRouteReadsItThenAnsweredWithConnectionCloseInsteadOfDrainingATrickle}.
 * It relies on {@link ConnectionClose} to actually close the connection.
 */
public final class UnreadBodyFilter implements Filter {
    private final Predicate<String> dialectPath;

    /** @param dialectPath whether a raw request path belongs to a dialect (whose POST routes read their body) */
    public UnreadBodyFilter(Predicate<String> dialectPath) { this.dialectPath = dialectPath; }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (req.content().hasEntity() && (req.prologue().method() != Method.POST || !dialectPath.test(req.path().rawPath()))) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        chain.proceed();
    }
}
