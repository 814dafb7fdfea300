package dev.jeton.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;

/**
 * {@code Strict-Transport-Security} on every response of a TLS listener (RFC 6797), so a browser
 * that once reached Jeton over HTTPS never sends a password or code over plain HTTP to it again.
 * Only TLS listeners get this filter: a plain listener pays nothing, and RFC 6797 7.2 says the
 * header means nothing over plain HTTP.
 */
final class Hsts implements Filter {
    private final Header header;

    Hsts(Duration maxAge) {
        this.header = HeaderValues.createCached("Strict-Transport-Security", "max-age=" + maxAge.toSeconds());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(header);
        chain.proceed();
    }

    void addTo(ServerResponse res) {
        res.header(header);
    }
}
