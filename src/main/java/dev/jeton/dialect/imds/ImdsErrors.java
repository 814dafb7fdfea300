package dev.jeton.dialect.imds;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.http.ErrorReply;
import dev.jeton.http.ErrorWriter;
import dev.jeton.model.Failure;
import io.helidon.http.Header;

/** IMDS's {@code {"error","error_description"}} with its own error words: the one place this dialect picks a status. */
final class ImdsErrors implements ErrorWriter {

    @Override
    public ErrorReply reply(Failure failure) {
        String d = failure.detail();
        return switch (failure.reason()) {
            case INVALID_REQUEST, INVALID_GRANT, INVALID_SCOPE, INVALID_TARGET, CONFLICT -> send(400, "invalid_request", d);
            case INVALID_CLIENT, UNAUTHORIZED_CLIENT, INVALID_TOKEN -> send(400, "unauthorized_client", d);
            case UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE -> send(400, "bad_request", d);
            case REQUEST_TIMEOUT -> send(408, "bad_request", d);
            case URI_TOO_LONG -> send(414, "bad_request", d);
            case HEADERS_TOO_LARGE -> send(431, "bad_request", d);
            case ACCESS_DENIED, INSUFFICIENT_SCOPE -> send(403, "forbidden", d);
            case NOT_FOUND -> send(404, "not_found", d);
            case METHOD_NOT_ALLOWED -> send(405, "method_not_allowed", d);
            case RATE_LIMITED -> send(429, "too_many_requests", d, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case UNAVAILABLE -> send(503, "service_unavailable", d, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case INTERNAL -> send(500, "server_error", "internal server error");
        };
    }

    private static ErrorReply send(int status, String error, String description, Header... headers) {
        return ErrorReply.of(status, new Body(error, description), headers);
    }

    record Body(@JsonProperty("error") String error, @JsonProperty("error_description") String description) {
    }
}
