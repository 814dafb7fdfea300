package dev.jeton.dialect.runai;

import dev.jeton.http.ErrorReply;
import dev.jeton.http.ErrorWriter;
import dev.jeton.model.Failure;
import io.helidon.http.Header;

/** Run:ai's {@code {"code","message","details"}}: the one place this dialect picks a status. */
final class RunaiErrors implements ErrorWriter {

    @Override
    public ErrorReply reply(Failure failure) {
        String m = failure.detail();
        return switch (failure.reason()) {
            case INVALID_REQUEST, INVALID_SCOPE, INVALID_TARGET, UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE, UNSUPPORTED_MEDIA_TYPE,
                 CONFLICT -> send(400, m, failure.param());
            case INVALID_CLIENT, INVALID_GRANT, INVALID_TOKEN -> send(401, m, failure.param());
            case UNAUTHORIZED_CLIENT, ACCESS_DENIED, INSUFFICIENT_SCOPE -> send(403, m, failure.param());
            case NOT_FOUND -> send(404, m, null);
            case METHOD_NOT_ALLOWED -> send(405, m, null);
            case REQUEST_TIMEOUT -> send(408, m, null);
            case PAYLOAD_TOO_LARGE -> send(413, m, null);
            case URI_TOO_LONG -> send(414, m, null);
            case HEADERS_TOO_LARGE -> send(431, m, null);
            case RATE_LIMITED -> send(429, m, null, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case UNAVAILABLE -> send(503, m, null, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case INTERNAL -> send(500, "internal server error", null);
        };
    }

    private static ErrorReply send(int status, String message, String param, Header... headers) {
        return ErrorReply.of(status, new RunaiWire.Error(status, message, param == null ? null : "field: " + param), headers).noStore();
    }
}
