package dev.jeton.admin;

import dev.jeton.engine.AdminChanges;
import dev.jeton.http.Bodies;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One authenticated admin API request: who asked, the changes made in their name, the path
 * and query parameters, the JSON body, and the answer (with ETag and pagination links), which
 * is held until {@link #answer()}: a change is answered only once its transaction committed.
 */
public final class AdminCall {
    private final ServerRequest req;
    private final ServerResponse res;
    private final Caller caller;
    private final AdminChanges changes;
    private final Bodies bodies;
    private final String body;
    private Runnable reply;

    private AdminCall(ServerRequest req, ServerResponse res, Caller caller, AdminChanges changes, Bodies bodies, String body) {
        this.req = req;
        this.res = res;
        this.caller = caller;
        this.changes = changes;
        this.bodies = bodies;
        this.body = body;
    }

    static AdminCall reading(ServerRequest req, ServerResponse res, Caller caller, Bodies bodies) {
        return new AdminCall(req, res, caller, null, bodies, null);
    }

    /** {@code body}: the request's body, read beforehand ({@link #bodyText}). */
    static AdminCall changing(ServerRequest req, ServerResponse res, Caller caller, AdminChanges changes, String body) {
        return new AdminCall(req, res, caller, changes, null, body);
    }

    /** The request's body as text, "" when it has none. */
    static String bodyText(ServerRequest req, Bodies bodies) {
        return req.content().hasEntity() ? bodies.text(req) : "";
    }

    /** Sends the answer the route gave. */
    void answer() {
        if (reply == null) throw new IllegalStateException("the route gave no answer");
        reply.run();
    }

    public Caller caller() { return caller; }

    /** Changes made in the caller's name: each is recorded in the audit log with the token's subject as actor. */
    public AdminChanges changes() {
        if (changes == null) throw new IllegalStateException("a read route cannot change anything");
        return changes;
    }

    public String path(String name) { return req.path().pathParameters().get(name); }

    public Optional<String> query(String name) {
        return Optional.ofNullable(Bodies.query(req).single(name));
    }

    /** The JSON body as {@code type} (Content-Type application/json); 422 naming the field when it does not fit. */
    public <T> T body(Class<T> type) {
        requireJson();
        return AdminJson.read(text(), type);
    }

    private String text() { return body != null ? body : bodyText(req, bodies); }

    private void requireJson() {
        Optional<HttpMediaType> contentType = req.headers().contentType();
        if (contentType.isEmpty() || !contentType.get().mediaType().text().equalsIgnoreCase("application/json")) {
            throw Failure.of(Reason.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
        }
    }

    /** The body, or {@code fallback} when the request has none (every field of the body is optional). */
    public <T> T bodyOr(Class<T> type, T fallback) {
        String text = text();
        // Generated clients send the JSON literal null for an optional body left out.
        if (text.isBlank() || text.strip().equals("null")) return fallback;
        requireJson();
        return AdminJson.read(text, type);
    }

    /**
     * Refuses a change to a resource whose state moved since the caller read it: 428 without
     * If-Match, 412 when no tag in it matches {@code currentEtag}.
     */
    public void requireMatch(String currentEtag) {
        Optional<String> ifMatch = req.headers().first(HeaderNames.IF_MATCH);
        if (ifMatch.isEmpty()) {
            throw new Precondition(Problems.preconditionRequired("this change needs If-Match with the resource's ETag (GET it first)"));
        }
        if (!Etags.matches(ifMatch.get(), currentEtag)) {
            throw new Precondition(Problems.stale("the resource changed since it was read (its ETag is now " + currentEtag
                    + "); GET it again and retry"));
        }
    }

    public void ok(Object body, String etag) {
        send(200, body, etag);
    }

    public void ok(Object body) {
        send(200, body, null);
    }

    public void created(String location, Object body, String etag) {
        send(201, body, etag);
        Runnable send = reply;
        reply = () -> {
            res.header(HeaderNames.LOCATION, location);
            send.run();
        };
    }

    public void noContent() {
        reply = () -> {
            res.status(Status.NO_CONTENT_204);
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.send();
        };
    }

    /** A page of {@code all} by {@code key}, with {@code next} (and a Link header) when more follow. */
    public <T, W> void page(List<T> all, Function<T, String> key, Function<T, W> wire) {
        Page<T> page = Page.of(all, key, Page.limit(query("limit").orElse(null)), query("cursor").orElse(null));
        pageOf(page.items().stream().map(wire).toList(), page.next());
    }

    /** Items already cut to a page; {@code nextCursor} null on the last page. */
    public void pageOf(List<?> items, String nextCursor) {
        String next = nextCursor == null ? null : req.path().rawPath() + "?" + nextQuery(nextCursor);
        send(200, new Listing<>(items, next), null);
        if (next != null) {
            Runnable send = reply;
            reply = () -> {
                res.header(HeaderNames.LINK, "<" + next + ">; rel=\"next\"");
                send.run();
            };
        }
    }

    private String nextQuery(String cursor) {
        StringBuilder q = new StringBuilder();
        dev.jeton.http.Form form = Bodies.query(req);
        for (String n : form.names()) {
            if (n.equals("cursor")) continue;
            for (String v : form.all(n)) {
                q.append(URLEncoder.encode(n, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
            }
        }
        return q.append("cursor=").append(cursor).toString();
    }

    private void send(int status, Object body, String etag) {
        byte[] bytes = AdminJson.bytes(body);
        reply = () -> {
            res.status(Status.create(status));
            if (etag != null) res.header(HeaderNames.ETAG, etag);
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(bytes);
        };
    }

    /** A page of items; {@code next} is the address of the following page, absent on the last. */
    public record Listing<W>(List<W> items, String next) {
    }

    /** A failed precondition (412, 428): answered as a problem, outside the engine's failure reasons. */
    static final class Precondition extends RuntimeException {
        final transient dev.jeton.http.ErrorReply reply;

        Precondition(dev.jeton.http.ErrorReply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }
}
