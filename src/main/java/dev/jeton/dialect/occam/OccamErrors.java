package dev.jeton.dialect.occam;

import dev.jeton.dialect.occam.OccamWire.Detail;
import dev.jeton.dialect.occam.OccamWire.ValidationError;
import dev.jeton.dialect.occam.OccamWire.ValidationErrors;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.Responses;
import dev.jeton.model.Failure;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

/**
 * The original service's error bodies, which differ from its OpenAPI descriptions: what its
 * clients actually read. The one place this dialect picks a status.
 */
final class OccamErrors implements ErrorWriter {

    @Override
    public void write(Failure failure, ServerRequest req, ServerResponse res) {
        if (failure.code() != null) {
            switch (failure.code()) {
                case BAD_CREDENTIALS -> detail(res, 400, "Incorrect email or password");
                // Expired and revoked both mean "log in again"; the original has no revocation of its own.
                case REFRESH_EXPIRED, REFRESH_REVOKED -> detail(res, 400, "Refresh token expired");
                case REFRESH_REUSED -> detail(res, 400, "Refresh token already used");
                case REFRESH_UNKNOWN -> detail(res, 404, "Refresh token not found");
                case API_KEY_INVALID -> detail(res, 400, "Invalid API key");
                case API_KEY_EXPIRED -> detail(res, 400, "API key expired");
            }
            return;
        }
        switch (failure.reason()) {
            case INVALID_REQUEST, INVALID_GRANT, INVALID_SCOPE, INVALID_TARGET, UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE,
                 CONFLICT -> detail(res, 400, failure.detail());
            case INVALID_CLIENT, UNAUTHORIZED_CLIENT, INVALID_TOKEN -> detail(res, 401, failure.detail());
            case ACCESS_DENIED, INSUFFICIENT_SCOPE -> detail(res, 403, failure.detail());
            case NOT_FOUND -> detail(res, 404, failure.detail());
            case METHOD_NOT_ALLOWED -> detail(res, 405, "Method Not Allowed");
            case PAYLOAD_TOO_LARGE -> detail(res, 413, failure.detail());
            case UNSUPPORTED_MEDIA_TYPE -> detail(res, 415, failure.detail());
            case RATE_LIMITED -> {
                res.header(HeaderNames.RETRY_AFTER, "1");
                detail(res, 429, "Too Many Requests");
            }
            case UNAVAILABLE -> detail(res, 503, "Service Unavailable");
            case INTERNAL -> detail(res, 500, "Internal Server Error");
        }
    }

    /** FastAPI's request validation error: every failing field at once. */
    void validation(ServerResponse res, List<ValidationError> errors) {
        Responses.json(res, 422, new ValidationErrors(errors));
    }

    private static void detail(ServerResponse res, int status, String detail) {
        Responses.json(res, status, new Detail(detail));
    }
}
