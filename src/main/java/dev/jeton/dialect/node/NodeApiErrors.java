package dev.jeton.dialect.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.http.ErrorReply;
import dev.jeton.http.ErrorWriter;
import dev.jeton.model.Failure;
import io.helidon.http.Header;

/** OAuth's {@code {"error","error_description"}} for the node API: the one place it picks a status. */
final class NodeApiErrors implements ErrorWriter {

    @Override
    public ErrorReply reply(Failure failure) {
        String d = failure.detail();
        return switch (failure.reason()) {
            case INVALID_REQUEST, INVALID_SCOPE, INVALID_TARGET, CONFLICT -> send(400, "invalid_request", d);
            case INVALID_GRANT -> send(400, "invalid_grant", d);
            case INVALID_CLIENT, UNAUTHORIZED_CLIENT, INVALID_TOKEN -> send(401, "invalid_client", d);
            case UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE -> send(400, "unsupported_grant_type", d);
            case UNSUPPORTED_MEDIA_TYPE -> send(415, "invalid_request", d);
            case PAYLOAD_TOO_LARGE -> send(413, "invalid_request", d);
            case REQUEST_TIMEOUT -> send(408, "invalid_request", d);
            case URI_TOO_LONG -> send(414, "invalid_request", d);
            case HEADERS_TOO_LARGE -> send(431, "invalid_request", d);
            case ACCESS_DENIED, INSUFFICIENT_SCOPE -> send(403, "access_denied", d);
            case NOT_FOUND -> send(404, "not_found", d);
            case METHOD_NOT_ALLOWED -> send(405, "invalid_request", d);
            case RATE_LIMITED -> send(429, "slow_down", d, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case UNAVAILABLE -> send(503, "temporarily_unavailable", d, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case INTERNAL -> send(500, "server_error", "internal server error");
        };
    }

    private static ErrorReply send(int status, String error, String description, Header... headers) {
        return ErrorReply.of(status, new Body(error, description), headers);
    }

    record Body(@JsonProperty("error") String error, @JsonProperty("error_description") String description) {
    }
}
