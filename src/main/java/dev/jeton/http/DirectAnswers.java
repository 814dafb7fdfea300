package dev.jeton.http;

import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import io.helidon.http.DirectHandler;
import io.helidon.http.Header;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Answers for requests Helidon refuses before routing (request line or headers too large,
 * malformed framing): JSON in the shape of the dialect whose path was asked for, instead of
 * Helidon's plain text. Nothing of the request is echoed.
 */
final class DirectAnswers implements DirectHandler {
    /** Helidon's words when the header section outgrows {@code maxHeadersSize} (it answers 400 for that). */
    private static final String HEADERS_EXCEEDED = "Header size exceeded";

    private final DialectPaths paths;
    private final int maxHeaderBytes;
    private final int maxRequestLine;

    DirectAnswers(DialectPaths paths, int maxHeaderBytes, int maxRequestLine) {
        this.paths = paths;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxRequestLine = maxRequestLine;
    }

    DirectHandlers handlers() {
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (EventType type : EventType.values()) b.addHandler(type, this);
        return b.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        ErrorReply reply = paths.writerFor(request.path()).reply(failure(defaultStatus.code(), message));
        TransportResponse.Builder answer = TransportResponse.builder()
                .status(Status.create(reply.status()))
                .headers(responseHeaders)
                .header(HeaderValues.CONTENT_TYPE_JSON)
                .keepAlive(false);
        for (Header h : reply.headers()) answer.header(h);
        return answer.entity(Json.bytes(reply.body())).build();
    }

    private Failure failure(int status, String message) {
        if (message != null && message.contains(HEADERS_EXCEEDED)) {
            return Failure.of(Reason.HEADERS_TOO_LARGE, "the request's headers are larger than " + maxHeaderBytes + " bytes");
        }
        return switch (status) {
            case 414 -> Failure.of(Reason.URI_TOO_LONG, "the request line is longer than " + maxRequestLine + " bytes");
            case 413 -> Failure.of(Reason.PAYLOAD_TOO_LARGE, "request body is too large");
            case 503 -> Failure.of(Reason.UNAVAILABLE, "too many requests at once");
            case 505 -> Failure.invalidRequest("only HTTP/1.1 is served");
            default -> status >= 500 ? Failure.internal("internal server error", null) : Failure.invalidRequest("malformed request");
        };
    }
}
