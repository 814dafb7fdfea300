package dev.jeton.http.helidon;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * Closes the connection after an answer that says {@code Connection: close}, as RFC 9112
 * section 9.6 asks. Helidon 4.5.0 writes the header, when the client asked for it or a filter
 * set it, and then waits for another request on the same socket: a client that reads to the end
 * of the stream would hang until the idle timeout, and a body left unread on purpose
 * ({@link UnreadBodyFilter}) would be read as the next request.
 * <p>
 * Upstream: helidon-io/helidon#12324, fixed on the helidon-4.x branch by #12326 (after 4.5.3).
 * Remove when Jeton's Helidon contains that fix: {@code ConnectionCloseTest} then passes without
 * this filter.
 * <p>
 * Each connection is served by one virtual thread, so the connection of the request being
 * routed is the one the receive listener last saw on this thread.
 */
public final class ConnectionClose implements Filter {
    private static final System.Logger LOG = System.getLogger(ConnectionClose.class.getName());
    private static final ThreadLocal<ConnectionContext> CURRENT = new ThreadLocal<>();

    /** Notes, on the connection's own thread, which connection a request arrived on. */
    public Http1ConnectionListener receiver() {
        return new Http1ConnectionListener() {
            @Override
            public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
                if (CURRENT.get() != ctx) CURRENT.set(ctx);
            }
        };
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        if (!res.isSent()) return;
        if (!req.headers().containsToken(HeaderValues.CONNECTION_CLOSE) && !res.headers().containsToken(HeaderValues.CONNECTION_CLOSE)) {
            return;
        }
        ConnectionContext ctx = CURRENT.get();
        if (ctx == null) return;
        try {
            // The answer has been written: Helidon writes straight to the socket when it is sent.
            HelidonSocket socket = ctx.serverSocket();
            socket.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not close a connection after Connection: close", e);
        }
    }
}
