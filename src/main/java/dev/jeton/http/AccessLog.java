package dev.jeton.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * One line per request: peer, method, path, status, milliseconds. Never the query string,
 * headers or body, which is where tokens, secrets and passwords travel.
 */
public final class AccessLog implements Filter {
    private static final System.Logger LOG = System.getLogger("jeton.access");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            if (LOG.isLoggable(System.Logger.Level.INFO)) {
                LOG.log(System.Logger.Level.INFO, "{0} {1} {2} {3} {4}ms", req.remotePeer().host(), req.prologue().method().text(),
                        req.path().rawPath(), res.status().code(), (System.nanoTime() - start) / 1_000_000);
            }
        }
    }
}
