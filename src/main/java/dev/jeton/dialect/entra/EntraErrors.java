package dev.jeton.dialect.entra;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jeton.http.ErrorReply;
import dev.jeton.http.ErrorWriter;
import dev.jeton.model.Failure;
import io.helidon.http.Header;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Entra ID's token-endpoint errors: RFC 6749 5.2 plus {@code error_codes}, {@code timestamp}
 * and a correlation id, which MSAL reads when present. The one place this dialect picks a status.
 */
final class EntraErrors implements ErrorWriter {
    private final Clock clock;

    EntraErrors(Clock clock) { this.clock = clock; }

    @Override
    public ErrorReply reply(Failure failure) {
        String d = failure.detail();
        return switch (failure.reason()) {
            case INVALID_REQUEST, CONFLICT, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, URI_TOO_LONG, HEADERS_TOO_LARGE,
                 REQUEST_TIMEOUT, NOT_FOUND -> send(400, "invalid_request", d, 900144);
            case INVALID_CLIENT, INVALID_TOKEN -> send(401, "invalid_client", d, 700213);
            case INVALID_GRANT -> send(400, "invalid_grant", d, 50000);
            case INVALID_SCOPE, INVALID_TARGET -> send(400, "invalid_scope", d, 1002012);
            case UNAUTHORIZED_CLIENT, ACCESS_DENIED, INSUFFICIENT_SCOPE -> send(400, "unauthorized_client", d, 700016);
            case UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE -> send(400, "unsupported_grant_type", d, 70003);
            case METHOD_NOT_ALLOWED -> send(405, "invalid_request", d, 900561);
            case RATE_LIMITED -> send(429, "temporarily_unavailable", d, 50196, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case UNAVAILABLE -> send(503, "temporarily_unavailable", d, 50000, ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case INTERNAL -> send(500, "server_error", "internal server error", 50000);
        };
    }

    private ErrorReply send(int status, String error, String description, int code, Header... headers) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
        return ErrorReply.of(status, new Body(error, description, List.of(code), now), headers).noStore();
    }

    record Body(@JsonProperty("error") String error, @JsonProperty("error_description") String description,
                @JsonProperty("error_codes") List<Integer> codes, @JsonProperty("timestamp") String timestamp) {
    }
}
