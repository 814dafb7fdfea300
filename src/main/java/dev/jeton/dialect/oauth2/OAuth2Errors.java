package dev.jeton.dialect.oauth2;

import dev.jeton.http.ErrorWriter;
import dev.jeton.http.Responses;
import dev.jeton.model.Failure;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** RFC 6749 5.2 (and RFC 6750 3 for bearer-protected userinfo): the one place this dialect picks a status. */
final class OAuth2Errors implements ErrorWriter {

    @Override
    public void write(Failure failure, ServerRequest req, ServerResponse res) {
        String detail = failure.detail();
        switch (failure.reason()) {
            case INVALID_REQUEST -> send(res, 400, "invalid_request", detail);
            case INVALID_CLIENT -> {
                // RFC 6749 5.2: 401 with a challenge in the scheme the client used (or could use).
                res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"jeton\", charset=\"UTF-8\"");
                send(res, 401, "invalid_client", detail);
            }
            case INVALID_GRANT -> send(res, 400, "invalid_grant", detail);
            case INVALID_SCOPE -> send(res, 400, "invalid_scope", detail);
            case INVALID_TARGET -> send(res, 400, "invalid_target", detail);
            case UNAUTHORIZED_CLIENT -> send(res, 400, "unauthorized_client", detail);
            case UNSUPPORTED_GRANT -> send(res, 400, "unsupported_grant_type", detail);
            case UNSUPPORTED_TOKEN_TYPE -> send(res, 400, "unsupported_token_type", detail);
            case INVALID_TOKEN -> {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"jeton\", error=\"invalid_token\", error_description=\""
                        + detail + "\"");
                send(res, 401, "invalid_token", detail);
            }
            case ACCESS_DENIED -> send(res, 403, "access_denied", detail);
            case INSUFFICIENT_SCOPE -> send(res, 403, "insufficient_scope", detail);
            case NOT_FOUND -> send(res, 404, "invalid_request", detail);
            case CONFLICT -> send(res, 409, "invalid_request", detail);
            case METHOD_NOT_ALLOWED -> send(res, 405, "invalid_request", detail);
            case PAYLOAD_TOO_LARGE -> send(res, 413, "invalid_request", detail);
            case UNSUPPORTED_MEDIA_TYPE -> send(res, 415, "invalid_request", detail);
            case RATE_LIMITED -> {
                res.header(HeaderNames.RETRY_AFTER, "1");
                send(res, 429, "temporarily_unavailable", detail);
            }
            case UNAVAILABLE -> send(res, 503, "temporarily_unavailable", detail);
            case INTERNAL -> send(res, 500, "server_error", "internal server error");
        }
    }

    private static void send(ServerResponse res, int status, String error, String description) {
        Responses.noStore(res);
        Responses.json(res, status, new OAuth2Wire.ErrorResponse(error, description));
    }
}
