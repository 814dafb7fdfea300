package dev.jeton.http;

import dev.jeton.http.helidon.EndedMidRequest;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;

/**
 * Wraps a route so that every failure leaves in the dialect's own shape. Helidon's error
 * handlers apply to a whole routing, not to one dialect, hence a wrapper per route.
 */
public final class Guard {
    private static final System.Logger LOG = System.getLogger(Guard.class.getName());

    private Guard() {
    }

    public static Handler guard(ErrorWriter errors, Handler handler) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (Failure f) {
                if (f.reason() == Reason.INTERNAL) {
                    LOG.log(System.Logger.Level.ERROR, "internal error on " + req.prologue().method().text() + " "
                            + req.path().rawPath() + ": " + f.detail(), f.getCause());
                }
                if (!res.isSent()) errors.write(f, req, res);
            } catch (CloseConnectionException gone) {
                // The connection broke or was cut (SlowClients): nobody to answer; Helidon closes it.
                throw gone;
            } catch (RequestException | HttpException e) {
                // Raised by Helidon while reading the request: too large, malformed entity.
                if (!res.isSent()) errors.write(fromHelidon(e), req, res);
            } catch (RuntimeException e) {
                if (EndedMidRequest.is(e)) throw EndedMidRequest.closeConnection(e);
                LOG.log(System.Logger.Level.ERROR, "unexpected error on " + req.prologue().method().text() + " "
                        + req.path().rawPath(), e);
                if (!res.isSent()) errors.write(Failure.internal("internal server error", e), req, res);
            }
        };
    }

    private static Failure fromHelidon(RuntimeException e) {
        int status = e instanceof RequestException r ? r.status().code()
                : ((HttpException) e).status().code();
        return switch (status) {
            case 413 -> Failure.of(Reason.PAYLOAD_TOO_LARGE, "request body is too large");
            case 415 -> Failure.of(Reason.UNSUPPORTED_MEDIA_TYPE, "unsupported content type");
            default -> status >= 500 ? Failure.internal("internal server error", e) : Failure.invalidRequest("malformed request");
        };
    }
}
