package dev.jeton.admin.console;

import dev.jeton.admin.Caller;
import dev.jeton.audit.AuditEvent;
import dev.jeton.audit.AuditLog;
import dev.jeton.engine.AdminChanges;
import dev.jeton.engine.Engine;
import dev.jeton.http.Bodies;
import dev.jeton.http.Dialect;
import dev.jeton.http.ErrorWriter;
import dev.jeton.http.Form;
import dev.jeton.http.Guard;
import dev.jeton.http.Origins;
import dev.jeton.model.User;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The web console at {@code /console}: server-rendered pages over the same engine operations as
 * the CLI and the admin API ({@link AdminChanges}, recorded as the signed-in user's). Signing in
 * is Jeton's own authorization code flow ({@link ConsoleSignIn}); every page checks the user's
 * rights from their groups ({@link ConsoleRights}) and every form its CSRF token.
 */
public final class Console implements Dialect {
    static final String BASE = "/console";
    static final String SESSION_COOKIE = "jeton_console";

    private final ConsoleErrors errors = new ConsoleErrors();
    private final ConsoleSessions sessions;
    private final ConsoleSignIn signIn;
    private final Function<String, Optional<User>> users;
    private final Function<String, AdminChanges> changesBy;
    private final Bodies bodies;
    private final boolean secure;
    private final List<ConsolePages> pages;
    /** Console changes run one at a time, like the admin API's, so two admins' changes to one item cannot interleave. */
    private final ReentrantLock writes = new ReentrantLock();
    private final AuditLog audit;
    private final Clock clock;

    /**
     * @param changesBy changes made and recorded in a console user's name
     */
    public Console(Parts parts, Function<String, AdminChanges> changesBy, Bodies bodies, AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
        this.sessions = new ConsoleSessions(new dev.jeton.secrets.RandomTokens(), clock);
        this.secure = parts.issuer().startsWith("https://");
        this.signIn = new ConsoleSignIn(parts.engine(), parts.issuer(), sessions, secure);
        this.users = parts.accounts()::user;
        this.changesBy = changesBy;
        AuditPages auditPages = new AuditPages(parts.auditFile());
        this.pages = List.of(new ClientPages(parts.accounts(), parts.oidc()), new ClientEditPage(parts.accounts(), parts.oidc()), new UserPages(parts.accounts()),
                new GroupPages(parts.accounts(), parts.rules()), new TokenPages(auditPages),
                new IdentityPages(parts.identities(), parts.nodes()), auditPages,
                new PrincipalPages(parts.accounts(), parts.rules(), parts.identities(), auditPages), new RulePages(parts.rules()),
                new ApiKeyPages(parts.apiKeys(), parts.accounts()), new SigningKeyPages(parts.keys(), parts.signingAlgorithm()),
                new NodePages(parts.nodes()), new TrustPages(parts.trust()),
                new UpstreamPages(parts.upstreams(), parts.issuer() + dev.jeton.engine.upstream.UpstreamSignIn.CALLBACK_PATH));
        this.bodies = bodies;
    }

    /**
     * What the console reads and signs in with; changes go through {@link AdminChanges} only.
     * {@code auditFile} is null when the audit log is not a file (nothing to show).
     */
    public record Parts(Engine engine, String issuer, dev.jeton.engine.Accounts accounts, dev.jeton.engine.imds.ManagedIdentities identities,
                        dev.jeton.engine.node.NodeAdmin nodes, dev.jeton.engine.access.RuleAdmin rules, java.nio.file.Path auditFile,
                        dev.jeton.engine.ApiKeys apiKeys, dev.jeton.keys.KeyRing keys, dev.jeton.keys.SigningAlgorithm signingAlgorithm,
                        java.util.function.Supplier<dev.jeton.engine.federation.TrustAdmin> trust,
                        java.util.function.Supplier<dev.jeton.engine.upstream.UpstreamAdmin> upstreams,
                        java.util.function.Supplier<dev.jeton.engine.OidcRegistrations> oidc) {
    }

    /** The console's own client, made on a server's start when it is missing. */
    public static dev.jeton.engine.Accounts.ClientSpec client(String issuer) { return ConsoleSignIn.client(issuer); }

    @Override
    public String name() { return "console"; }

    @Override
    public List<String> paths() { return List.of(BASE); }

    @Override
    public ErrorWriter errors() { return errors; }

    @Override
    public void routing(HttpRules rules) {
        rules.get(BASE + "/console.css", Guard.guard(errors, (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/css; charset=utf-8");
            res.header(HeaderNames.CACHE_CONTROL, "max-age=3600");
            res.send(Html.STYLE.getBytes(StandardCharsets.UTF_8));
        }));
        rules.get(BASE + "/signin", Guard.guard(errors, (req, res) -> signIn.start(res)));
        rules.get(BASE + "/callback", Guard.guard(errors, (req, res) -> {
            try {
                signIn.finish(req, res);
            } catch (dev.jeton.model.Failure f) {
                // The engine records what it refuses (the code, the client); these are the console's own checks.
                if (f.check() != null && f.check().startsWith("console.")) refused(req, null, f);
                throw f;
            }
        }));
        rules.post(BASE + "/signout", Guard.guard(errors, (req, res) -> {
            Optional<ConsoleSessions.Session> session = session(req);
            if (session.isPresent()) {
                ConsoleCall.checkCsrf(bodies.form(req), session.get());
                sessions.close(session.get().id());
            }
            res.header(HeaderNames.SET_COOKIE, SESSION_COOKIE + "=; Path=" + BASE + "; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
            ConsoleErrors.send(res, 200, Html.page("Signed out", null,
                    "<h1>Signed out</h1><p><a href=\"/console/signin\">Sign in again</a></p>"));
        }));
        rules.get(BASE, Guard.guard(errors, (req, res) -> redirect(res, BASE + "/clients")));
        rules.get(BASE + "/", Guard.guard(errors, (req, res) -> redirect(res, BASE + "/clients")));
        // Each page's GET or POST route, behind sign-in, rights, and (for POST) the CSRF check.
        for (ConsolePages p : pages) {
            p.routes((method, subPath, handler) -> rules.route(method, BASE + subPath,
                    Guard.guard(errors, (req, res) -> handle(req, res, method == Method.POST, handler))));
        }
        rules.any(BASE + "/*", Guard.guard(errors, (req, res) -> {
            throw dev.jeton.model.Failure.notFound("there is no console page at " + req.path().path());
        }));
    }

    private void handle(ServerRequest req, ServerResponse res, boolean post, ConsolePages.Handler handler) {
        Optional<ConsoleSessions.Session> session = session(req);
        try {
            handleSignedIn(req, res, post, handler, session);
        } catch (StaleEdit stale) {
            String user = session.map(ConsoleSessions.Session::user).orElse(null);
            refused(req, user, dev.jeton.model.Failure.of(dev.jeton.model.Reason.CONFLICT, "version", stale.getMessage()).because("version.stale"));
            ConsoleErrors.send(res, 409, Html.page("Changed by someone else", session.orElse(null), """
                    <h1>Changed by someone else</h1><p class="error" role="alert">%s: another administrator, the admin API, the CLI or \
                    <code>jeton apply</code> changed it. Nothing was changed by this form.</p>
                    <p><a href="%s">Reload it</a> to see the current version, then make your change again.</p>"""
                    .formatted(Html.esc(stale.getMessage().substring(0, 1).toUpperCase(java.util.Locale.ROOT) + stale.getMessage().substring(1)),
                            Html.esc(stale.reloadPath()))));
        } catch (dev.jeton.model.Failure f) {
            if (f.reason() == dev.jeton.model.Reason.ACCESS_DENIED || f.reason() == dev.jeton.model.Reason.INSUFFICIENT_SCOPE) {
                refused(req, session.map(ConsoleSessions.Session::user).orElse(null), f);
            }
            throw f;
        }
    }

    /** Every refusal is in the audit log with its reason, as the admin API's are. */
    private void refused(ServerRequest req, String user, dev.jeton.model.Failure f) {
        audit.record(new AuditEvent(clock.millis(), AuditEvent.REFUSED, name(), null, user, null, user == null ? null : "console_user", null,
                null, null, null, null, Origins.of(req), f.check() == null ? "console.refused" : f.check(),
                req.prologue().method().text() + " " + req.path().path() + ": " + f.detail(), List.of(), null, null));
    }

    private void handleSignedIn(ServerRequest req, ServerResponse res, boolean post, ConsolePages.Handler handler,
                                Optional<ConsoleSessions.Session> session) {
        Optional<User> user = session.flatMap(s -> users.apply(s.user()));
        if (user.isEmpty() || user.get().disabled()) {
            if (post) {
                throw dev.jeton.model.Failure.of(dev.jeton.model.Reason.ACCESS_DENIED, "you are not signed in (or your session ended): sign in again")
                        .because("console.not_signed_in");
            }
            redirect(res, BASE + "/signin");
            return;
        }
        Caller caller = ConsoleRights.of(user.get());
        if (caller.scopes().isEmpty()) {
            throw dev.jeton.model.Failure.of(dev.jeton.model.Reason.ACCESS_DENIED, "your account is not in group " + ConsoleRights.ADMINS
                    + " or " + ConsoleRights.READERS + ": ask an administrator for console access").because("console.no_group");
        }
        if (!post) {
            handler.handle(new ConsoleCall(req, res, session.get(), caller, null, Form.EMPTY));
            return;
        }
        Form form = bodies.form(req);
        ConsoleCall.checkCsrf(form, session.get());
        writes.lock();
        try {
            handler.handle(new ConsoleCall(req, res, session.get(), caller, changesBy.apply(caller.subject()), form));
        } finally {
            writes.unlock();
        }
    }

    private Optional<ConsoleSessions.Session> session(ServerRequest req) {
        return sessions.find(dev.jeton.http.Cookies.read(req, SESSION_COOKIE));
    }

    static void redirect(ServerResponse res, String location) {
        res.status(Status.FOUND_302);
        res.header(HeaderNames.LOCATION, location);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send();
    }
}
