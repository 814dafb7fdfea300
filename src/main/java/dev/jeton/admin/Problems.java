package dev.jeton.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.jeton.http.ErrorReply;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.Json;
import dev.jeton.model.Failure;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;

/**
 * The admin API's one place that answers failures: RFC 9457 problem details
 * ({@code application/problem+json}: type, title, status, detail, and {@code errors} naming the
 * field at fault for invalid input). 401 and 403 carry an RFC 6750 Bearer challenge.
 */
public final class Problems implements ErrorWriter {
    static final String TYPE_PREFIX = "urn:jeton:problem:";
    private static final Header CHALLENGE = HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"jeton-admin\"");

    @Override
    public ErrorReply reply(Failure failure) {
        String d = failure.detail();
        return switch (failure.reason()) {
            case INVALID_REQUEST, INVALID_GRANT, INVALID_SCOPE, INVALID_TARGET, UNSUPPORTED_GRANT, UNSUPPORTED_TOKEN_TYPE ->
                    invalid(failure);
            case INVALID_TOKEN, INVALID_CLIENT -> ErrorReply.of(401, problem("invalid-token", "Unauthorized", 401, d),
                    HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"jeton-admin\", error=\"invalid_token\", "
                            + "error_description=\"" + quoted(d) + "\""));
            case INSUFFICIENT_SCOPE -> ErrorReply.of(403, problem("insufficient-scope", "Forbidden", 403, d),
                    HeaderValues.create(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"jeton-admin\", error=\"insufficient_scope\", "
                            + "scope=\"" + quoted(failure.param() == null ? "" : failure.param()) + "\""));
            case ACCESS_DENIED, UNAUTHORIZED_CLIENT -> send("forbidden", "Forbidden", 403, d);
            case NOT_FOUND -> send("not-found", "Not Found", 404, d);
            case METHOD_NOT_ALLOWED -> send("method-not-allowed", "Method Not Allowed", 405, d);
            case REQUEST_TIMEOUT -> send("request-timeout", "Request Timeout", 408, d);
            case CONFLICT -> send("conflict", "Conflict", 409, d);
            case PAYLOAD_TOO_LARGE -> send("payload-too-large", "Content Too Large", 413, d);
            case URI_TOO_LONG -> send("uri-too-long", "URI Too Long", 414, d);
            case UNSUPPORTED_MEDIA_TYPE -> send("unsupported-media-type", "Unsupported Media Type", 415, d);
            case HEADERS_TOO_LARGE -> send("headers-too-large", "Request Header Fields Too Large", 431, d);
            case RATE_LIMITED -> ErrorReply.of(429, problem("rate-limited", "Too Many Requests", 429, d),
                    ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case UNAVAILABLE -> ErrorReply.of(503, problem("unavailable", "Service Unavailable", 503, d), ErrorReply.retryAfter(failure.retryAfterSeconds()));
            case INTERNAL -> send("internal", "Internal Server Error", 500, "internal server error");
        };
    }

    /** 412: the resource changed since the caller read it (its ETag no longer matches If-Match). */
    static ErrorReply stale(String detail) {
        return ErrorReply.of(412, problem("stale-etag", "Precondition Failed", 412, detail));
    }

    /** 428: a change to an existing resource must say which version it changes (If-Match). */
    static ErrorReply preconditionRequired(String detail) {
        return ErrorReply.of(428, problem("if-match-required", "Precondition Required", 428, detail));
    }

    /** Without a token: the bare challenge, as RFC 6750 3.1 asks when the request had no credentials. */
    static ErrorReply unauthenticated() {
        return ErrorReply.of(401, problem("unauthenticated", "Unauthorized", 401,
                "send an access token with an admin scope: Authorization: Bearer TOKEN"), CHALLENGE);
    }

    private static ErrorReply invalid(Failure failure) {
        List<FieldError> errors = failure.param() == null ? null : List.of(new FieldError(failure.param(), failure.detail()));
        return ErrorReply.of(422, new Problem(TYPE_PREFIX + "invalid-input", "Unprocessable Content", 422, failure.detail(), errors));
    }

    private static ErrorReply send(String type, String title, int status, String detail) {
        return ErrorReply.of(status, problem(type, title, status, detail));
    }

    private static Problem problem(String type, String title, int status, String detail) {
        return new Problem(TYPE_PREFIX + type, title, status, detail, null);
    }

    private static String quoted(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "'");
    }

    @Override
    public void write(Failure failure, ServerRequest req, ServerResponse res) {
        send(reply(failure), res);
    }

    /** Like {@link ErrorReply#send} but as {@code application/problem+json}. */
    static void send(ErrorReply reply, ServerResponse res) {
        for (Header h : reply.headers()) res.header(h);
        res.status(Status.create(reply.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(Json.bytes(reply.body()));
    }

    /** RFC 9457 section 3; {@code errors} is the extension for invalid input. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    }

    /** One invalid field: its name (a JSON field or query parameter) and what is wrong with it. */
    public record FieldError(String field, String detail) {
    }
}
