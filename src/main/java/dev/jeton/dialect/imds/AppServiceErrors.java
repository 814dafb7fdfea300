package dev.jeton.dialect.imds;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.http.ErrorReply;
import dev.jeton.http.ErrorWriter;
import dev.jeton.model.Failure;
import io.helidon.http.Header;
import io.helidon.http.HeaderValues;

import java.util.UUID;

/**
 * App Service's managed identity errors, {@code {"statusCode","message","correlationId"}} with the
 * correlation id also in {@code X-CORRELATION-ID}, as its endpoint sends them; the SDKs show
 * {@code message} and {@code correlationId}. The one place this endpoint picks a status.
 */
final class AppServiceErrors implements ErrorWriter {

    @Override
    public ErrorReply reply(Failure failure) {
        String d = failure.detail();
        return switch (failure.reason()) {
            case INVALID_REQUEST, INVALID_GRANT, INVALID_SCOPE, INVALID_TARGET, CONFLICT, UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE,
                 UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE, UNAUTHORIZED_CLIENT, INVALID_TOKEN -> send(400, d);
            case INVALID_CLIENT -> send(401, d);
            case ACCESS_DENIED, INSUFFICIENT_SCOPE -> send(403, d);
            case NOT_FOUND -> send(404, d);
            case METHOD_NOT_ALLOWED -> send(405, d);
            case REQUEST_TIMEOUT -> send(408, d);
            case URI_TOO_LONG -> send(414, d);
            case HEADERS_TOO_LARGE -> send(431, d);
            case RATE_LIMITED -> send(429, d, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case UNAVAILABLE -> send(503, d, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case INTERNAL -> send(500, "internal server error");
        };
    }

    private static ErrorReply send(int status, String message, Header... more) {
        String correlationId = UUID.randomUUID().toString();
        Header[] headers = new Header[more.length + 1];
        headers[0] = HeaderValues.create("X-CORRELATION-ID", correlationId);
        System.arraycopy(more, 0, headers, 1, more.length);
        return ErrorReply.of(status, new Body(status, message, correlationId), headers);
    }

    record Body(@JsonProperty("statusCode") int statusCode, @JsonProperty("message") String message,
                @JsonProperty("correlationId") String correlationId) {
    }
}
