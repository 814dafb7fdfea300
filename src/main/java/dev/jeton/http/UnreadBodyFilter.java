package dev.jeton.http;

import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * A body that no route reads (anything but a POST to a dialect) gets its answer with
 * {@code Connection: close}. Otherwise Helidon would drain it after the answer, when the
 * slow-client clock has stopped, and a client could hold the connection by trickling it.
 */
final class UnreadBodyFilter implements Filter {
    private final DialectPaths paths;

    UnreadBodyFilter(DialectPaths paths) { this.paths = paths; }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (req.content().hasEntity() && (req.prologue().method() != Method.POST || paths.owner(req.path().rawPath()) == null)) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        chain.proceed();
    }
}
