package dev.jeton.dialect.occam;

import dev.jeton.dialect.occam.OccamWire.Detail;
import dev.jeton.dialect.occam.OccamWire.ValidationError;
import dev.jeton.dialect.occam.OccamWire.ValidationErrors;
import dev.jeton.http.ErrorReply;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.Responses;
import dev.jeton.model.Failure;
import io.helidon.http.Header;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

/**
 * The original service's error bodies, which differ from its OpenAPI descriptions: what its
 * clients actually read. The one place this dialect picks a status.
 */
final class OccamErrors implements ErrorWriter {

    @Override
    public ErrorReply reply(Failure failure) {
        if (failure.code() != null) {
            return switch (failure.code()) {
                case BAD_CREDENTIALS -> detail(400, "Incorrect email or password");
                // Expired and revoked both mean "log in again"; the original has no revocation of its own.
                case REFRESH_EXPIRED, REFRESH_REVOKED -> detail(400, "Refresh token expired");
                case REFRESH_REUSED -> detail(400, "Refresh token already used");
                case REFRESH_UNKNOWN -> detail(404, "Refresh token not found");
                case API_KEY_INVALID -> detail(400, "Invalid API key");
                case API_KEY_EXPIRED -> detail(400, "API key expired");
                // The device grant is not served here; its codes never reach this dialect.
                case AUTHORIZATION_PENDING, SLOW_DOWN, EXPIRED_TOKEN, DEVICE_DENIED -> detail(400, failure.detail());
            };
        }
        return switch (failure.reason()) {
            case INVALID_REQUEST, INVALID_GRANT, INVALID_SCOPE, INVALID_TARGET, UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE,
                 CONFLICT -> detail(400, failure.detail());
            case INVALID_CLIENT, UNAUTHORIZED_CLIENT, INVALID_TOKEN -> detail(401, failure.detail());
            case ACCESS_DENIED, INSUFFICIENT_SCOPE -> detail(403, failure.detail());
            case NOT_FOUND -> detail(404, failure.detail());
            case METHOD_NOT_ALLOWED -> detail(405, "Method Not Allowed");
            case REQUEST_TIMEOUT -> detail(408, failure.detail());
            case PAYLOAD_TOO_LARGE -> detail(413, failure.detail());
            case URI_TOO_LONG -> detail(414, failure.detail());
            case UNSUPPORTED_MEDIA_TYPE -> detail(415, failure.detail());
            case HEADERS_TOO_LARGE -> detail(431, failure.detail());
            // FastAPI's HTTPException(429) with its default detail.
            case RATE_LIMITED -> detail(429, "Too Many Requests", ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case UNAVAILABLE -> detail(503, "Service Unavailable", ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case INTERNAL -> detail(500, "Internal Server Error");
        };
    }

    /** FastAPI's request validation error: every failing field at once. */
    void validation(ServerResponse res, List<ValidationError> errors) {
        Responses.json(res, 422, new ValidationErrors(errors));
    }

    private static ErrorReply detail(int status, String detail, Header... headers) {
        return ErrorReply.of(status, new Detail(detail), headers);
    }
}
