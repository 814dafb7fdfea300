package dev.jeton.admin;

import dev.jeton.http.Bodies;
import dev.jeton.http.Guard;
import dev.jeton.model.Failure;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;

import java.util.Optional;

/**
 * The routes of one resource kind under {@code /admin/v1/KIND}: each authenticated by bearer
 * token, checked for the kind's read or change scope, and answered as problem details on
 * failure. Each change runs as one store transaction ({@link ChangeTransactions}), so that reading
 * a resource's ETag for If-Match and changing it cannot interleave with another admin's change;
 * its answer is sent after the commit.
 */
public final class AdminRoutes {
    static final String BASE = "/admin/v1";

    private final HttpRules rules;
    private final String kind;
    private final Problems problems;
    private final BearerAuth auth;
    private final ChangeTransactions changes;
    private final Bodies bodies;
    private final Refusals refusals;

    AdminRoutes(HttpRules rules, String kind, Problems problems, BearerAuth auth, ChangeTransactions changes, Bodies bodies,
                Refusals refusals) {
        this.refusals = refusals;
        this.rules = rules;
        this.kind = kind;
        this.problems = problems;
        this.auth = auth;
        this.changes = changes;
        this.bodies = bodies;
    }

    /** The address of an item of this kind, for Location and links. */
    public String location(String id) {
        return BASE + "/" + kind + "/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A GET under {@code /admin/v1/KIND}; {@code subPath} is "" or starts with '/'. */
    public void read(String subPath, AdminHandler handler) {
        rules.route(Method.GET, BASE + "/" + kind + subPath, wrap(handler, false, false));
    }

    /** A change (POST, PUT, PATCH, DELETE) under {@code /admin/v1/KIND}, made as one transaction. */
    public void change(Method method, String subPath, AdminHandler handler) {
        rules.route(method, BASE + "/" + kind + subPath, wrap(handler, true, true));
    }

    /** A change whose store operation is a compare-and-set of its own ({@link ChangeTransactions#outside}). */
    public void changeBySwap(Method method, String subPath, AdminHandler handler) {
        rules.route(method, BASE + "/" + kind + subPath, wrap(handler, true, false));
    }

    private Handler wrap(AdminHandler handler, boolean changing, boolean inTransaction) {
        return Guard.guard(problems, (req, res) -> {
            Optional<Caller> caller;
            try {
                caller = auth.caller(req);
            } catch (Failure f) {
                refusals.refused(req, null, f.check() == null ? "token.invalid" : f.check(), f.detail());
                throw f;
            }
            if (caller.isEmpty()) {
                refusals.refused(req, null, "token.missing", "no Authorization header");
                Problems.send(Problems.unauthenticated(), res);
                return;
            }
            try {
                allowed(req, caller.get(), changing);
                if (!changing) {
                    AdminCall call = AdminCall.reading(req, res, caller.get(), bodies);
                    handler.handle(call);
                    call.answer();
                    return;
                }
                if (!inTransaction) {
                    AdminCall call = AdminCall.changing(req, res, caller.get(), changes.outside(caller.get().subject()),
                            AdminCall.bodyText(req, bodies));
                    handler.handle(call);
                    call.answer();
                    return;
                }
                // Read before the transaction: it may run on another thread (SQLite's writer), which must not wait on the network.
                String body = AdminCall.bodyText(req, bodies);
                AdminCall[] call = new AdminCall[1];
                changes.run(caller.get().subject(), made -> {
                    call[0] = AdminCall.changing(req, res, caller.get(), made, body);
                    handler.handle(call[0]);
                });
                call[0].answer();
            } catch (AdminCall.Precondition p) {
                Problems.send(p.reply, res);
            }
        });
    }

    private void allowed(io.helidon.webserver.http.ServerRequest req, Caller caller, boolean changing) {
        try {
            if (changing) caller.mayChange(kind);
            else caller.mayRead(kind);
        } catch (Failure f) {
            refusals.refused(req, caller.subject(), "scope.insufficient", f.detail());
            throw f;
        }
    }

    /** Where refused requests are recorded (the audit log), with the path they asked for. */
    @FunctionalInterface
    interface Refusals {
        void refused(io.helidon.webserver.http.ServerRequest req, String subject, String reason, String detail);
    }

    /** A route's work, given the authenticated call. */
    @FunctionalInterface
    public interface AdminHandler {
        void handle(AdminCall call);
    }
}
