package dev.jeton.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.model.Failure;

/**
 * {@code {"error","error_description"}} for paths no dialect serves (health, metrics, the
 * OpenAPI documents) and for requests too broken to have a path.
 */
public final class PlainErrors implements ErrorWriter {

    @Override
    public ErrorReply reply(Failure failure) {
        String d = failure.detail();
        return switch (failure.reason()) {
            case NOT_FOUND -> send(404, "not_found", d);
            case METHOD_NOT_ALLOWED -> send(405, "method_not_allowed", d);
            case REQUEST_TIMEOUT -> send(408, "request_timeout", d);
            case PAYLOAD_TOO_LARGE -> send(413, "payload_too_large", d);
            case URI_TOO_LONG -> send(414, "uri_too_long", d);
            case UNSUPPORTED_MEDIA_TYPE -> send(415, "unsupported_media_type", d);
            case HEADERS_TOO_LARGE -> send(431, "request_header_fields_too_large", d);
            case RATE_LIMITED -> ErrorReply.of(429, new Body("too_many_requests", d), ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case UNAVAILABLE -> ErrorReply.of(503, new Body("service_unavailable", d), ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case INTERNAL -> send(500, "internal_server_error", "internal server error");
            default -> send(400, "bad_request", d);
        };
    }

    private static ErrorReply send(int status, String error, String description) {
        return ErrorReply.of(status, new Body(error, description));
    }

    record Body(@JsonProperty("error") String error, @JsonProperty("error_description") String description) {
    }
}
