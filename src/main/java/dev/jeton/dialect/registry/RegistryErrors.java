package dev.jeton.dialect.registry;

import dev.jeton.http.ErrorWriter;
import dev.jeton.http.Responses;
import dev.jeton.model.Failure;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Distribution's error envelope, {@code {"errors":[{"code","message"}]}}: the one place this dialect picks a status. */
final class RegistryErrors implements ErrorWriter {
    private final String challenge;

    RegistryErrors(String realm) {
        this.challenge = "Basic realm=\"" + realm + "\"";
    }

    @Override
    public void write(Failure failure, ServerRequest req, ServerResponse res) {
        String message = failure.detail();
        switch (failure.reason()) {
            case INVALID_CLIENT, INVALID_GRANT, INVALID_TOKEN, UNAUTHORIZED_CLIENT -> {
                res.header(HeaderNames.WWW_AUTHENTICATE, challenge);
                send(res, 401, "UNAUTHORIZED", message);
            }
            case INVALID_REQUEST, INVALID_SCOPE, INVALID_TARGET, CONFLICT, NOT_FOUND -> send(res, 400, "INVALID_REQUEST", message);
            case UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE, UNSUPPORTED_MEDIA_TYPE -> send(res, 400, "UNSUPPORTED", message);
            case METHOD_NOT_ALLOWED -> send(res, 405, "UNSUPPORTED", message);
            case ACCESS_DENIED, INSUFFICIENT_SCOPE -> send(res, 403, "DENIED", message);
            case PAYLOAD_TOO_LARGE -> send(res, 413, "SIZE_INVALID", message);
            case RATE_LIMITED -> {
                res.header(HeaderNames.RETRY_AFTER, "1");
                send(res, 429, "TOOMANYREQUESTS", message);
            }
            case UNAVAILABLE -> send(res, 503, "UNAVAILABLE", message);
            case INTERNAL -> send(res, 500, "UNKNOWN", "internal server error");
        }
    }

    private static void send(ServerResponse res, int status, String code, String message) {
        Responses.noStore(res);
        Responses.json(res, status, RegistryWire.Errors.of(code, message));
    }
}
