package dev.jeton.dialect.imds;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.Responses;
import dev.jeton.model.Failure;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** IMDS's {@code {"error","error_description"}} with its own error words: the one place this dialect picks a status. */
final class ImdsErrors implements ErrorWriter {

    @Override
    public void write(Failure failure, ServerRequest req, ServerResponse res) {
        String d = failure.detail();
        switch (failure.reason()) {
            case INVALID_REQUEST, INVALID_GRANT, INVALID_SCOPE, INVALID_TARGET, CONFLICT -> send(res, 400, "invalid_request", d);
            case INVALID_CLIENT, UNAUTHORIZED_CLIENT, INVALID_TOKEN -> send(res, 400, "unauthorized_client", d);
            case UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE -> send(res, 400, "bad_request", d);
            case ACCESS_DENIED, INSUFFICIENT_SCOPE -> send(res, 403, "forbidden", d);
            case NOT_FOUND -> send(res, 404, "not_found", d);
            case METHOD_NOT_ALLOWED -> send(res, 405, "method_not_allowed", d);
            case RATE_LIMITED -> {
                res.header(HeaderNames.RETRY_AFTER, "1");
                send(res, 429, "too_many_requests", d);
            }
            case UNAVAILABLE -> send(res, 503, "service_unavailable", d);
            case INTERNAL -> send(res, 500, "server_error", "internal server error");
        }
    }

    private static void send(ServerResponse res, int status, String error, String description) {
        Responses.json(res, status, new Body(error, description));
    }

    record Body(@JsonProperty("error") String error, @JsonProperty("error_description") String description) {
    }
}
