package dev.jeton.dialect.runai;

import dev.jeton.http.ErrorWriter;
import dev.jeton.http.Responses;
import dev.jeton.model.Failure;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Run:ai's {@code {"code","message","details"}}: the one place this dialect picks a status. */
final class RunaiErrors implements ErrorWriter {

    @Override
    public void write(Failure failure, ServerRequest req, ServerResponse res) {
        String m = failure.detail();
        switch (failure.reason()) {
            case INVALID_REQUEST, INVALID_SCOPE, INVALID_TARGET, UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE, UNSUPPORTED_MEDIA_TYPE,
                 CONFLICT -> send(res, 400, m, failure.param());
            case INVALID_CLIENT, INVALID_GRANT, INVALID_TOKEN -> send(res, 401, m, failure.param());
            case UNAUTHORIZED_CLIENT, ACCESS_DENIED, INSUFFICIENT_SCOPE -> send(res, 403, m, failure.param());
            case NOT_FOUND -> send(res, 404, m, null);
            case METHOD_NOT_ALLOWED -> send(res, 405, m, null);
            case PAYLOAD_TOO_LARGE -> send(res, 413, m, null);
            case RATE_LIMITED -> {
                res.header(HeaderNames.RETRY_AFTER, "1");
                send(res, 429, m, null);
            }
            case UNAVAILABLE -> send(res, 503, m, null);
            case INTERNAL -> send(res, 500, "internal server error", null);
        }
    }

    private static void send(ServerResponse res, int status, String message, String param) {
        Responses.noStore(res);
        Responses.json(res, status, new RunaiWire.Error(status, message, param == null ? null : "field: " + param));
    }
}
