package dev.jeton.http;

import dev.jeton.model.Failure;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The per-source-address rate limit, before any dialect runs, answered in the shape of the
 * dialect whose path was asked for. Health, metrics and the documents are not limited: probes
 * and scrapers must see the server even while a client is being refused.
 */
final class SourceRateFilter implements Filter {
    private final RateLimits limits;
    private final DialectPaths paths;

    SourceRateFilter(RateLimits limits, DialectPaths paths) {
        this.limits = limits;
        this.paths = paths;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        ErrorWriter owner = paths.owner(req.path().rawPath());
        if (owner != null) {
            long wait = limits.acquireSource(limits.source(req));
            if (wait > 0) {
                owner.reply(Failure.rateLimited("Too many requests for this address; try again in " + wait + " s", wait)).send(res);
                return;
            }
        }
        chain.proceed();
    }
}
