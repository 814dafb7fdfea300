package dev.jeton.admin.console;

import dev.jeton.http.ErrorReply;
import dev.jeton.http.ErrorWriter;
import dev.jeton.model.Failure;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The console's one place that picks a status for a failure, answered as a page that says what went wrong. */
final class ConsoleErrors implements ErrorWriter {
    static int status(Failure f) {
        return switch (f.reason()) {
            case INVALID_REQUEST, INVALID_CLIENT, INVALID_GRANT, INVALID_SCOPE, INVALID_TARGET, INVALID_TOKEN, UNAUTHORIZED_CLIENT,
                 UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE -> 400;
            case ACCESS_DENIED, INSUFFICIENT_SCOPE -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case PAYLOAD_TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case METHOD_NOT_ALLOWED -> 405;
            case RATE_LIMITED -> 429;
            case REQUEST_TIMEOUT -> 408;
            case HEADERS_TOO_LARGE -> 431;
            case URI_TOO_LONG -> 414;
            case UNAVAILABLE -> 503;
            default -> 500;
        };
    }

    /** Before routing (431, 408) there is no page to render: a short JSON answer. */
    @Override
    public ErrorReply reply(Failure failure) {
        return ErrorReply.of(status(failure), Map.of("error", failure.detail())).noStore();
    }

    @Override
    public void write(Failure failure, ServerRequest req, ServerResponse res) {
        int status = status(failure);
        String title = switch (status) {
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 500 -> "Something went wrong";
            default -> "Cannot do that";
        };
        String detail = status == 500 ? "The server could not finish this request; it is in the server's log." : failure.detail();
        send(res, status, Html.page(title, null, "<h1>" + title + "</h1><p class=\"error\" role=\"alert\">" + Html.esc(detail)
                + "</p><p><a href=\"/console\">Back to the console</a></p>"));
    }

    static void send(ServerResponse res, int status, String html) {
        res.status(io.helidon.http.Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(io.helidon.http.HeaderValues.create("Content-Security-Policy", Html.CSP));
        res.header(io.helidon.http.HeaderValues.create("X-Content-Type-Options", "nosniff"));
        res.header(io.helidon.http.HeaderValues.create("Referrer-Policy", "no-referrer"));
        res.send(html.getBytes(StandardCharsets.UTF_8));
    }
}
