package dev.jeton.http.helidon;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * Two connection listeners as one. Helidon 4.5.0 takes a list of receive (or send) listeners,
 * but the listener it makes of more than one forwards nothing: the second one added would
 * silently switch the first off (the slow-client watch, in Jeton's case).
 * <p>
 * Upstream: {@code webserver/webserver/src/main/java/io/helidon/webserver/http1/Http1ConnectionListenerUtil.java},
 * class {@code ListFrameListener}: it keeps its delegates and overrides none of the interface's
 * default (empty) methods; unchanged on Helidon's main branch as of 2026-08-20, no upstream
 * issue found. Remove when that class forwards its events: add the two listeners with
 * {@code addReceiveListener} and check that {@code RequestLimitsTest}'s slow-client rows and
 * {@code ConnectionCloseTest} still pass.
 */
public record BothListeners(Http1ConnectionListener first, Http1ConnectionListener second) implements Http1ConnectionListener {
    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        first.prologue(ctx, prologue);
        second.prologue(ctx, prologue);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        first.headers(ctx, headers);
        second.headers(ctx, headers);
    }

    @Override
    public void status(ConnectionContext ctx, Status status) {
        first.status(ctx, status);
        second.status(ctx, status);
    }

    @Override
    public void data(ConnectionContext ctx, BufferData data) {
        first.data(ctx, data);
        second.data(ctx, data);
    }

    @Override
    public void data(ConnectionContext ctx, byte[] bytes, int offset, int length) {
        first.data(ctx, bytes, offset, length);
        second.data(ctx, bytes, offset, length);
    }
}
