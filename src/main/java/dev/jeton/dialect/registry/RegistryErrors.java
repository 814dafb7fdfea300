package dev.jeton.dialect.registry;

import dev.jeton.http.ErrorReply;
import dev.jeton.http.ErrorWriter;
import dev.jeton.model.Failure;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;

/** Distribution's error envelope, {@code {"errors":[{"code","message"}]}}: the one place this dialect picks a status. */
final class RegistryErrors implements ErrorWriter {
    private final Header challenge;

    RegistryErrors(String realm) {
        this.challenge = HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\"");
    }

    @Override
    public ErrorReply reply(Failure failure) {
        String message = failure.detail();
        return switch (failure.reason()) {
            case INVALID_CLIENT, INVALID_GRANT, INVALID_TOKEN, UNAUTHORIZED_CLIENT -> send(401, "UNAUTHORIZED", message, challenge);
            case INVALID_REQUEST, INVALID_SCOPE, INVALID_TARGET, CONFLICT, NOT_FOUND -> send(400, "INVALID_REQUEST", message);
            case UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE, UNSUPPORTED_MEDIA_TYPE -> send(400, "UNSUPPORTED", message);
            case METHOD_NOT_ALLOWED -> send(405, "UNSUPPORTED", message);
            case ACCESS_DENIED, INSUFFICIENT_SCOPE -> send(403, "DENIED", message);
            case REQUEST_TIMEOUT -> send(408, "INVALID_REQUEST", message);
            case PAYLOAD_TOO_LARGE -> send(413, "SIZE_INVALID", message);
            case URI_TOO_LONG -> send(414, "INVALID_REQUEST", message);
            case HEADERS_TOO_LARGE -> send(431, "INVALID_REQUEST", message);
            case RATE_LIMITED -> send(429, "TOOMANYREQUESTS", message, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case UNAVAILABLE -> send(503, "UNAVAILABLE", message, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case INTERNAL -> send(500, "UNKNOWN", "internal server error");
        };
    }

    private static ErrorReply send(int status, String code, String message, Header... headers) {
        return ErrorReply.of(status, RegistryWire.Errors.of(code, message), headers).noStore();
    }
}
