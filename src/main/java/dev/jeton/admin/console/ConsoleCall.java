package dev.jeton.admin.console;

import dev.jeton.admin.Caller;
import dev.jeton.engine.AdminChanges;
import dev.jeton.http.Bodies;
import dev.jeton.http.Form;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** One request of a signed-in console user: their session and rights, the form they posted (CSRF-checked), and the page answered. */
final class ConsoleCall {
    private final ServerRequest req;
    private final ServerResponse res;
    private final ConsoleSessions.Session session;
    private final Caller caller;
    private final AdminChanges changes;
    private final Form form;

    ConsoleCall(ServerRequest req, ServerResponse res, ConsoleSessions.Session session, Caller caller, AdminChanges changes, Form form) {
        this.req = req;
        this.res = res;
        this.session = session;
        this.caller = caller;
        this.changes = changes;
        this.form = form;
    }

    ConsoleSessions.Session session() { return session; }

    /** INSUFFICIENT_SCOPE (a 403 page) unless the user's groups allow reading {@code kind}. */
    void mayRead(String kind) {
        try {
            caller.mayRead(kind);
        } catch (Failure f) {
            throw f.because("scope.insufficient");
        }
    }

    boolean mayChange(String kind) {
        try {
            caller.mayChange(kind);
            return true;
        } catch (Failure f) {
            return false;
        }
    }

    /** Changes in this user's name, recorded in the audit log as theirs; a 403 page unless their groups allow changing {@code kind}. */
    AdminChanges changes(String kind) {
        try {
            caller.mayChange(kind);
        } catch (Failure f) {
            throw f.because("scope.insufficient");
        }
        return changes;
    }

    String path(String name) { return req.path().pathParameters().get(name); }

    Optional<String> query(String name) {
        String value = Bodies.query(req).single(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** A posted field, trimmed; INVALID_REQUEST naming it when it is missing and required. */
    String field(String name, boolean required) {
        String value = form.single(name);
        if (value == null || value.isBlank()) {
            if (required) throw Failure.invalidRequest(name, name.replace('_', ' ') + " is required");
            return null;
        }
        return value.strip();
    }

    void page(String title, String body) {
        ConsoleErrors.send(res, 200, Html.page(title, session, body));
    }

    /** After a change: back to a page with GET (so a reload does not post again). */
    void seeOther(String location) {
        res.status(io.helidon.http.Status.SEE_OTHER_303);
        res.header(io.helidon.http.HeaderNames.LOCATION, location);
        res.header(io.helidon.http.HeaderNames.CACHE_CONTROL, "no-store");
        res.send();
    }

    /**
     * The form's {@code version} must still be the item's: the version is the admin API's ETag
     * ({@link dev.jeton.admin.Versions}), so a form and an If-Match refuse the same stale edits.
     * Checked inside the console's write lock, after the input is checked and before any change.
     */
    void requireVersion(String what, String current, String reloadPath) {
        if (!dev.jeton.admin.Versions.matches(form.single("version"), current)) throw new StaleEdit(what, reloadPath);
    }

    /** The form's CSRF token must be this session's: a page of another site cannot post in the user's name. */
    static void checkCsrf(Form form, ConsoleSessions.Session session) {
        String sent = form.single("csrf");
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), session.csrf().getBytes(StandardCharsets.UTF_8))) {
            throw Failure.of(Reason.ACCESS_DENIED, "csrf", "this form is out of date or did not come from the console: reload the page and try again").because("csrf.invalid");
        }
    }
}
