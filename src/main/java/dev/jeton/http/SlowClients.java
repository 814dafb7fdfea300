package dev.jeton.http;

import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cuts off clients that trickle their request (slowloris). The socket read timeout alone bounds
 * only the gap between two bytes; this bounds the whole request: from its first line, the
 * headers and any body must have arrived, and for a request with a body the answer must have
 * begun, within {@code timeout}. A client over time gets 408 in its dialect's shape and the
 * connection is closed. Idle keep-alive connections are Helidon's idle timeout's job.
 * <p>
 * Per request this is two volatile writes on a per-connection watch; one thread sweeps the
 * watches a few times per timeout.
 */
public final class SlowClients implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SlowClients.class.getName());

    private final long timeoutNanos;
    private final long forgetNanos;
    private final DialectPaths paths;
    private final ConcurrentHashMap<ConnectionContext, Watch> watches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    /** @param forgetAfter when a watch of a quiet connection may be dropped (it is made again on its next request) */
    public SlowClients(Duration timeout, Duration forgetAfter, DialectPaths paths) {
        this.timeoutNanos = timeout.toNanos();
        this.forgetNanos = Math.max(forgetAfter.toNanos(), timeoutNanos) * 2;
        this.paths = paths;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("jeton-slow-clients").daemon(true).unstarted(r));
        long every = Math.max(20, Math.min(1000, timeout.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /** Listens to what the connection receives: a request line starts the clock, complete headers of a bodiless request stop it. */
    public Http1ConnectionListener receiver() {
        return new Http1ConnectionListener() {
            @Override
            public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
                // get first: computeIfAbsent may lock its bin even when the watch is there.
                Watch w = watches.get(ctx);
                if (w == null) w = watches.computeIfAbsent(ctx, Watch::new);
                w.start(prologue, System.nanoTime() + timeoutNanos);
            }

            @Override
            public void headers(ConnectionContext ctx, Headers headers) {
                if (headers.contains(HeaderNames.CONTENT_LENGTH) || headers.contains(HeaderNames.TRANSFER_ENCODING)) return;
                Watch w = watches.get(ctx);
                if (w != null) w.stop();
            }
        };
    }

    /** Listens to what the connection sends: an answer begun stops the clock. */
    public Http1ConnectionListener sender() {
        return new Http1ConnectionListener() {
            @Override
            public void status(ConnectionContext ctx, Status status) {
                Watch w = watches.get(ctx);
                if (w != null) w.stop();
            }
        };
    }

    /** Connections being watched, closed ones included until the next sweep. */
    int watched() { return watches.size(); }

    void sweep() {
        long now = System.nanoTime();
        for (Watch w : watches.values()) {
            long deadline = w.deadline.get();
            if (!w.ctx.serverSocket().isConnected()) {
                // Closed: the watch would hold the connection's buffers (16 KiB and more) until forgotten.
                watches.remove(w.ctx, w);
            } else if (deadline == 0) {
                // A request that started while this was being dropped puts it back.
                if (now - w.lastStart > forgetNanos && watches.remove(w.ctx, w) && w.deadline.get() != 0) watches.putIfAbsent(w.ctx, w);
            } else if (now - deadline > 0 && w.deadline.compareAndSet(deadline, 0)) {
                watches.remove(w.ctx, w);
                cutOff(w);
            }
        }
    }

    private void cutOff(Watch w) {
        HttpPrologue prologue = w.prologue;
        String path = prologue == null ? null : prologue.uriPath().rawPath();
        LOG.log(System.Logger.Level.INFO, "closing a connection from {0}: request not received within {1} ms",
                w.ctx.remotePeer().host(), timeoutNanos / 1_000_000);
        try {
            ErrorReply reply = paths.writerFor(path).reply(Failure.of(Reason.REQUEST_TIMEOUT, "the request did not arrive in time"));
            w.ctx.dataWriter().writeNow(BufferData.create(raw(reply)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not answer 408 to a slow client", e);
        }
        try {
            w.ctx.serverSocket().close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not close a slow client's connection", e);
        }
    }

    /** The answer as bytes on the wire: nothing has been routed, so there is no response object to write to. */
    private static byte[] raw(ErrorReply reply) {
        byte[] body = Json.bytes(reply.body());
        StringBuilder head = new StringBuilder(256)
                .append("HTTP/1.1 ").append(reply.status()).append(' ').append(Status.create(reply.status()).reasonPhrase()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n")
                .append("Connection: close\r\n");
        for (Header h : reply.headers()) head.append(h.name()).append(": ").append(h.get()).append("\r\n");
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + body.length);
        out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Override
    public void close() { sweeper.shutdownNow(); }

    private static final class Watch {
        final ConnectionContext ctx;
        /** When the request in progress must have been received, or 0 when none is being received. */
        final AtomicLong deadline = new AtomicLong();
        volatile HttpPrologue prologue;
        /** The deadline of the latest request: when the connection was last busy, give or take the timeout. */
        volatile long lastStart = System.nanoTime();

        Watch(ConnectionContext ctx) { this.ctx = ctx; }

        void start(HttpPrologue p, long due) {
            prologue = p;
            lastStart = due;
            deadline.set(due == 0 ? 1 : due);
        }

        void stop() { deadline.set(0); }
    }
}
