package dev.jeton.dialect.oauth2;

import dev.jeton.http.ErrorReply;
import dev.jeton.http.ErrorWriter;
import dev.jeton.model.Failure;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;

/** RFC 6749 5.2 (and RFC 6750 3 for bearer-protected userinfo): the one place this dialect picks a status. */
final class OAuth2Errors implements ErrorWriter {
    private static final Header BASIC_CHALLENGE = HeaderValues.create(HeaderNames.WWW_AUTHENTICATE,
            "Basic realm=\"jeton\", charset=\"UTF-8\"");

    @Override
    public ErrorReply reply(Failure failure) {
        String detail = failure.detail();
        return switch (failure.reason()) {
            case INVALID_REQUEST -> send(400, "invalid_request", detail);
            // RFC 6749 5.2: 401 with a challenge in the scheme the client used (or could use).
            case INVALID_CLIENT -> send(401, "invalid_client", detail, BASIC_CHALLENGE);
            case INVALID_GRANT -> send(400, grantError(failure.code()), detail);
            case INVALID_SCOPE -> send(400, "invalid_scope", detail);
            case INVALID_TARGET -> send(400, "invalid_target", detail);
            case UNAUTHORIZED_CLIENT -> send(400, "unauthorized_client", detail);
            case UNSUPPORTED_GRANT -> send(400, "unsupported_grant_type", detail);
            case UNSUPPORTED_TOKEN_TYPE -> send(400, "unsupported_token_type", detail);
            case INVALID_TOKEN -> send(401, "invalid_token", detail, HeaderValues.create(HeaderNames.WWW_AUTHENTICATE,
                    "Bearer realm=\"jeton\", error=\"invalid_token\", error_description=\"" + detail + "\""));
            case ACCESS_DENIED -> send(403, "access_denied", detail);
            case INSUFFICIENT_SCOPE -> send(403, "insufficient_scope", detail);
            case NOT_FOUND -> send(404, "invalid_request", detail);
            case CONFLICT -> send(409, "invalid_request", detail);
            case METHOD_NOT_ALLOWED -> send(405, "invalid_request", detail);
            case REQUEST_TIMEOUT -> send(408, "invalid_request", detail);
            case PAYLOAD_TOO_LARGE -> send(413, "invalid_request", detail);
            case URI_TOO_LONG -> send(414, "invalid_request", detail);
            case UNSUPPORTED_MEDIA_TYPE -> send(415, "invalid_request", detail);
            case HEADERS_TOO_LARGE -> send(431, "invalid_request", detail);
            // RFC 6749 has no word for "slow down" at the token endpoint; temporarily_unavailable is its closest.
            case RATE_LIMITED -> send(429, "temporarily_unavailable", detail, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case UNAVAILABLE -> send(503, "temporarily_unavailable", detail, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case INTERNAL -> send(500, "server_error", "internal server error");
        };
    }

    /** RFC 8628 3.5: a device's polling answers are errors of their own, all 400. */
    private static String grantError(Failure.Code code) {
        if (code == null) return "invalid_grant";
        return switch (code) {
            case AUTHORIZATION_PENDING -> "authorization_pending";
            case SLOW_DOWN -> "slow_down";
            case EXPIRED_TOKEN -> "expired_token";
            case DEVICE_DENIED -> "access_denied";
            default -> "invalid_grant";
        };
    }

    private static ErrorReply send(int status, String error, String description, Header... headers) {
        return ErrorReply.of(status, new OAuth2Wire.ErrorResponse(error, description), headers).noStore();
    }
}
