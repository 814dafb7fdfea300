package dev.jeton.http.helidon;

import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.CloseConnectionException;

/**
 * A client whose connection ends in the middle of its request body. Helidon 4.5.0 turns the end
 * of the stream into {@link CloseConnectionException} while it reads the request line and
 * headers ({@code Http1Prologue.readPrologue}, {@code ConnectionHandler.isHttp10Connection}), but
 * not while a route reads the entity: {@code Http1Connection.readLengthEntity} and the chunked
 * reader call {@code DataReader.ensureAvailable}/{@code readBuffer}, whose
 * {@link DataReader.InsufficientDataAvailableException} reaches the route as a plain runtime
 * exception. Left alone it would be logged as an unexpected error and answered with a 500 on a
 * closed socket.
 * <p>
 * No upstream issue found. Remove when Helidon's entity readers throw
 * {@link CloseConnectionException} (or another exception Jeton already treats as a gone client).
 */
public final class EndedMidRequest {
    private EndedMidRequest() {
    }

    /** Whether {@code e} is Helidon saying the client's connection ended before the whole request arrived. */
    public static boolean is(RuntimeException e) {
        return e instanceof DataReader.InsufficientDataAvailableException;
    }

    /** What Helidon expects from a route for a gone client: it then closes the connection quietly. */
    public static CloseConnectionException closeConnection(RuntimeException e) {
        return new CloseConnectionException("the client's connection ended mid-request", e);
    }
}
