package dev.jeton.dialect.oauth2;

import dev.jeton.engine.code.Authorizations;
import dev.jeton.engine.code.Authorizations.Request;
import dev.jeton.engine.code.Authorizations.Target;
import dev.jeton.engine.session.LoginSessions;
import dev.jeton.engine.session.LoginSessions.Current;
import dev.jeton.engine.session.OidcSessions;
import dev.jeton.engine.session.Prompts;
import dev.jeton.engine.session.SignIn.Step;
import dev.jeton.engine.upstream.UpstreamSignIn;
import dev.jeton.http.Bodies;
import dev.jeton.http.Form;
import dev.jeton.http.RateLimits;
import dev.jeton.model.Failure;
import dev.jeton.model.Origin;
import dev.jeton.model.Reason;
import dev.jeton.model.Scopes;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /oidc/authorize}: GET (or a POSTed authorization request, OIDC Core 3.1.2.1) asks {@link dev.jeton.engine.session.SignIn} what the request
 * needs given the browser's login session (a page, a code, or an error for {@code prompt=none});
 * POST checks the CSRF token, then the password (starting a session), the account choice or
 * the consent. Errors about the client or redirect URI are shown on the page; every other error
 * goes back to the client (RFC 6749 4.1.2.1, OIDC Core 3.1.2.6) in the response mode it asked
 * for ({@link ResponseMode}). A sign-in through an upstream provider ("Sign in with NAME")
 * returns here and starts a login session as a password does.
 */
final class AuthorizeEndpoint {
    private static final String CSRF_COOKIE = "jeton_csrf";
    private static final String[] REQUEST_FIELDS = {"response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
            "code_challenge", "code_challenge_method", "response_mode", "prompt", "max_age", "login_hint", "id_token_hint"};

    private final Authorizations authorizations;
    private final Bodies bodies;
    private final RateLimits limits;
    private final RandomTokens random = new RandomTokens();
    private final String issuer;
    private final boolean secureCookie;
    private final OidcSessions oidc;
    private final SessionCookie sessionCookie;
    private final UpstreamSignIn upstreams;
    private final UpstreamPages upstreamPages;

    AuthorizeEndpoint(Authorizations authorizations, OidcSessions oidc, Bodies bodies, RateLimits limits, String issuer,
                      UpstreamSignIn upstreams) {
        this.upstreams = upstreams;
        this.upstreamPages = new UpstreamPages(upstreams, issuer);
        this.authorizations = authorizations;
        this.oidc = oidc;
        this.sessionCookie = new SessionCookie(issuer);
        this.bodies = bodies;
        this.limits = limits;
        this.issuer = issuer;
        this.secureCookie = issuer.startsWith("https://");
    }

    void show(ServerRequest req, ServerResponse res) {
        showFor(req, Bodies.query(req), res);
    }

    private void showFor(ServerRequest req, Form query, ServerResponse res) {
        Validated v = validate(query, res);
        if (v == null) return;
        // Back from "Sign in with NAME" for this very request: a login session, then on as after a password login.
        Optional<User> signedIn = upstreams.take(UpstreamPages.browser(req), returnTo(query));
        if (signedIn.isPresent()) {
            next(req, res, v, query, v.prompts().afterLogin(), Optional.of(startSession(req, res, signedIn.get())));
            return;
        }
        next(req, res, v, query, v.prompts(), oidc.sessions().current(sessionCookie.read(req)));
    }

    void submit(ServerRequest req, ServerResponse res) {
        Form form = bodies.form(req);
        // OIDC Core 3.1.2.1: an authorization request may come as a form POST; only our own forms carry csrf.
        if (form.single("csrf") == null && form.single("username") == null && form.single("action") == null
                && form.single("response_type") != null) {
            showFor(req, form, res);
            return;
        }
        String csrf = form.single("csrf");
        String cookie = SessionCookie.read(req, CSRF_COOKIE);
        if (csrf == null || cookie == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8))) {
            html(res, 400, LoginPage.error("This sign-in form has expired or did not come from this site. Start again from the application."));
            return;
        }
        Validated v = validate(form, res);
        if (v == null) return;
        String action = form.single("action");
        if (action == null || action.equals("login")) {
            login(req, res, v, form, csrf);
            return;
        }
        Optional<Current> session = oidc.sessions().current(sessionCookie.read(req));
        switch (action) {
            // The session ended between the page and the click: log in again.
            case "continue", "consent" -> {
                if (session.isEmpty()) loginPage(res, v, form, csrf, null, null);
                else if (action.equals("continue")) next(req, res, v, form, v.prompts().afterLogin(), session);
                else consent(req, res, v, form, session.get());
            }
            case "switch" -> loginPage(res, v, form, csrf, null, null);
            default -> html(res, 400, LoginPage.error("This sign-in form was changed. Start again from the application."));
        }
    }

    /** The password: a new login session (cookie), then whatever the request still needs. */
    private void login(ServerRequest req, ServerResponse res, Validated v, Form form, String csrf) {
        String username = form.single("username");
        String password = form.single("password");
        if (username == null || password == null) {
            html(res, 400, LoginPage.login(v.request().target().client().clientId(), hidden(form), csrf, username,
                    "Enter your username and password.", upstreamPages.buttons(returnTo(form))));
            return;
        }
        User user;
        try {
            user = authorizations.authenticate(v.request(), username, new Secret(password), limits.source(req));
        } catch (Failure f) {
            int status = f.reason() == Reason.RATE_LIMITED ? 429 : 400;
            if (status == 429) res.header(HeaderNames.RETRY_AFTER, Long.toString(f.retryAfterSeconds()));
            String message = f.reason() == Reason.RATE_LIMITED ? f.detail() : "Incorrect username or password.";
            html(res, status, LoginPage.login(v.request().target().client().clientId(), hidden(form), csrf, username, message,
                    upstreamPages.buttons(returnTo(form))));
            return;
        }
        next(req, res, v, form, v.prompts().afterLogin(), Optional.of(startSession(req, res, user)));
    }

    /**
     * The user has just logged in (password or upstream): a new login session and its cookie. The
     * browser's session of another user ends (with back-channel notices); the same user's is renewed.
     */
    private Current startSession(ServerRequest req, ServerResponse res, User user) {
        Optional<Current> previous = oidc.sessions().current(sessionCookie.read(req));
        if (previous.isPresent() && !previous.get().user().id().equals(user.id())) {
            oidc.logout().replaced(previous.get(), new Origin(limits.source(req), null, null));
        }
        LoginSessions.Started started = oidc.sessions().start(user, previous);
        sessionCookie.set(res, started.cookie().value(), Duration.between(started.session().authTime(), started.session().expiresAt()));
        return new Current(started.session(), user);
    }

    /** The consent page's answer: deny is access_denied (RFC 6749 4.1.2.1); approve is remembered for next time. */
    private void consent(ServerRequest req, ServerResponse res, Validated v, Form form, Current session) {
        String decision = form.single("decision");
        if (!"approve".equals(decision)) {
            authorizations.refusedSilently(v.request(), session.user().name(), limits.source(req), "access_denied", "the user denied consent");
            error(res, v, form, "access_denied", "The user denied access.");
            return;
        }
        oidc.consents().remember(session.user(), v.request().target().client(), v.request().scope());
        issue(res, v, form, session);
    }

    private void next(ServerRequest req, ServerResponse res, Validated v, Form params, Prompts prompts, Optional<Current> session) {
        Step step = oidc.signIn().next(v.request(), prompts, session);
        String clientId = v.request().target().client().clientId();
        switch (step) {
            case Step.Login login -> loginPage(res, v, params, newCsrf(res), login.prefill(), null);
            case Step.ChooseAccount choose -> html(res, 200, SessionPages.chooser(clientId, choose.user().name(), hidden(params), newCsrf(res)));
            case Step.Consent consent -> html(res, 200, SessionPages.consent(clientId, consent.user().name(), v.request().scope(),
                    hidden(params), newCsrf(res)));
            case Step.Issue issue -> issue(res, v, params, issue.session());
            case Step.Refuse refuse -> {
                authorizations.refusedSilently(v.request(), session.map(c -> c.user().name()).orElse(null), limits.source(req),
                        refuse.error(), refuse.description());
                error(res, v, params, refuse.error(), refuse.description());
            }
        }
    }

    private void issue(ServerResponse res, Validated v, Form params, Current session) {
        Secret code = authorizations.issue(v.request(), session.user(), session.session().authContext());
        oidc.sessions().participate(session.session().id(), v.request().target().client().clientId());
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("code", code.value());
        answer.put("state", stateOf(params));
        answer.put("iss", issuer);
        v.mode().send(res, v.request().target().redirectUri(), answer);
    }

    private void error(ServerResponse res, Validated v, Form params, String error, String description) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("error", error);
        answer.put("error_description", description);
        answer.put("state", stateOf(params));
        // No iss on errors: mod_auth_openidc 2.4 (Debian 12) reads an iss at its redirect URI as a third-party-initiated
        // login and never shows the error. RFC 9207 requires iss on every answer only of servers that advertise
        // authorization_response_iss_parameter_supported, which discovery therefore sets to false.
        v.mode().send(res, v.request().target().redirectUri(), answer);
    }

    private void loginPage(ServerResponse res, Validated v, Form params, String csrf, String username, String error) {
        html(res, 200, LoginPage.login(v.request().target().client().clientId(), hidden(params), csrf, username, error,
                upstreamPages.buttons(returnTo(params))));
    }

    /** A CSRF token for the page about to be shown, in a cookie only this endpoint receives. */
    private String newCsrf(ServerResponse res) {
        String csrf = random.id();
        res.headers().add(HeaderNames.SET_COOKIE, CSRF_COOKIE + "=" + csrf + "; Path=/oidc/authorize; HttpOnly; SameSite=Strict"
                + (secureCookie ? "; Secure" : ""));
        return csrf;
    }

    /** Both steps of validation; null when the answer (page or redirect) has been sent. */
    private Validated validate(Form params, ServerResponse res) {
        Target target;
        try {
            target = authorizations.target(params.single("client_id"), params.single("redirect_uri"));
        } catch (Failure f) {
            html(res, 400, LoginPage.error(f.detail()));
            return null;
        }
        ResponseMode mode = ResponseMode.parse(single(params, "response_mode"));
        // OIDC Core 6.1, 6.2: request objects are not supported, and discovery says so.
        String unsupported = params.single("request") != null ? "request_not_supported"
                : params.single("request_uri") != null ? "request_uri_not_supported" : null;
        if (unsupported != null && mode != null) {
            Map<String, String> error = new LinkedHashMap<>();
            error.put("error", unsupported);
            error.put("error_description", "request objects are not supported: send the parameters themselves");
            error.put("state", stateOf(params));
            mode.send(res, target.redirectUri(), error); // without iss: see error()
            return null;
        }
        try {
            if (mode == null) throw Failure.invalidRequest("response_mode", "response_mode must be query, fragment or form_post");
            Request request = authorizations.check(target, params.single("response_type"), Scopes.parse(params.single("scope")),
                    params.single("nonce"), params.single("code_challenge"), params.single("code_challenge_method"));
            Prompts prompts = Prompts.parse(params.single("prompt"), params.single("max_age"), params.single("login_hint"),
                    params.single("id_token_hint"), oidc.hints());
            return new Validated(request, prompts, mode);
        } catch (Failure f) {
            Map<String, String> error = new LinkedHashMap<>();
            error.put("error", switch (f.reason()) {
                case INVALID_SCOPE -> "invalid_scope";
                case UNAUTHORIZED_CLIENT -> "unauthorized_client";
                case UNSUPPORTED_GRANT -> "unsupported_response_type";
                default -> "invalid_request";
            });
            error.put("error_description", f.detail());
            error.put("state", stateOf(params));
            // Errors go back the way the client asked for its answer (query when it asked for none we know); without iss: see error().
            (mode == null ? ResponseMode.QUERY : mode).send(res, target.redirectUri(), error);
            return null;
        }
    }

    private static String stateOf(Form params) { return single(params, "state"); }

    /** A parameter given twice counts as absent here; check() refuses the duplicate itself where it matters. */
    private static String single(Form params, String name) {
        try {
            return params.single(name);
        } catch (Failure duplicated) {
            return null;
        }
    }

    /** This authorization request as a path of this server: where a sign-in through an upstream returns. */
    private static String returnTo(Form params) {
        StringBuilder path = new StringBuilder("/oidc/authorize");
        char sep = '?';
        for (Map.Entry<String, String> e : hidden(params).entrySet()) {
            if (e.getValue() == null) continue;
            path.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return path.toString();
    }

    private static Map<String, String> hidden(Form params) {
        Map<String, String> hidden = new LinkedHashMap<>();
        for (String field : REQUEST_FIELDS) hidden.put(field, params.single(field));
        return hidden;
    }

    /** An HTML page of ours: never cached, never framed, no referrer. */
    static void html(ServerResponse res, int status, String page) {
        res.status(status);
        res.header(HeaderValues.create("Content-Type", "text/html; charset=utf-8"));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderValues.create("X-Frame-Options", "DENY"));
        res.header(HeaderValues.create("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"));
        res.header(HeaderValues.create("Referrer-Policy", "no-referrer"));
        res.send(page.getBytes(StandardCharsets.UTF_8));
    }

    private record Validated(Request request, Prompts prompts, ResponseMode mode) {
    }
}
