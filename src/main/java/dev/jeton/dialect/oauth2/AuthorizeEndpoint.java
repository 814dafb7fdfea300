package dev.jeton.dialect.oauth2;

import dev.jeton.engine.code.Authorizations;
import dev.jeton.engine.code.Authorizations.Request;
import dev.jeton.engine.code.Authorizations.Target;
import dev.jeton.engine.upstream.UpstreamSignIn;
import dev.jeton.http.Bodies;
import dev.jeton.http.Form;
import dev.jeton.http.RateLimits;
import dev.jeton.model.Failure;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /oidc/authorize}: GET shows the login page for a valid request, POST checks the CSRF
 * token and the password and redirects back with a code. Errors about the client or redirect
 * URI are shown on the page; every other error goes back to the client (RFC 6749 4.1.2.1).
 */
final class AuthorizeEndpoint {
    private static final String CSRF_COOKIE = "jeton_csrf";
    private static final String[] REQUEST_FIELDS = {"response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
            "code_challenge", "code_challenge_method", "response_mode"};

    private final Authorizations authorizations;
    private final Bodies bodies;
    private final RateLimits limits;
    private final RandomTokens random = new RandomTokens();
    private final String issuer;
    private final boolean secureCookie;
    private final UpstreamSignIn upstreams;
    private final UpstreamPages upstreamPages;

    AuthorizeEndpoint(Authorizations authorizations, Bodies bodies, RateLimits limits, String issuer, UpstreamSignIn upstreams) {
        this.upstreams = upstreams;
        this.upstreamPages = new UpstreamPages(upstreams, issuer);
        this.authorizations = authorizations;
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
        // Back from "Sign in with NAME" for this very request: go on as after a password login.
        Optional<User> signedIn = upstreams.take(UpstreamPages.browser(req), returnTo(query));
        if (signedIn.isPresent()) {
            sendCode(res, v, authorizations.approveSignedIn(v.request(), signedIn.get()), stateOf(query));
            return;
        }
        String csrf = random.id();
        res.header(HeaderNames.SET_COOKIE, CSRF_COOKIE + "=" + csrf + "; Path=/oidc/authorize; HttpOnly; SameSite=Strict"
                + (secureCookie ? "; Secure" : ""));
        html(res, 200, LoginPage.login(v.request().target().client().clientId(), hidden(query), csrf, null, null,
                upstreamPages.buttons(returnTo(query))));
    }

    void submit(ServerRequest req, ServerResponse res) {
        Form form = bodies.form(req);
        // OIDC Core 3.1.2.1: an authorization request may come as a form POST; only the login form carries csrf.
        if (form.single("csrf") == null && form.single("username") == null && form.single("response_type") != null) {
            showFor(req, form, res);
            return;
        }
        String csrf = form.single("csrf");
        String cookie = cookie(req.headers().first(HeaderNames.COOKIE).orElse(null));
        if (csrf == null || cookie == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8))) {
            html(res, 400, LoginPage.error("This sign-in form has expired or did not come from this site. Start again from the application."));
            return;
        }
        Validated v = validate(form, res);
        if (v == null) return;
        String username = form.single("username");
        String password = form.single("password");
        if (username == null || password == null) {
            html(res, 400, LoginPage.login(v.request().target().client().clientId(), hidden(form), csrf, username,
                    "Enter your username and password.", upstreamPages.buttons(returnTo(form))));
            return;
        }
        Secret code;
        try {
            code = authorizations.approve(v.request(), username, new Secret(password), limits.source(req));
        } catch (Failure f) {
            int status = f.reason() == Reason.RATE_LIMITED ? 429 : 400;
            if (status == 429) res.header(HeaderNames.RETRY_AFTER, Long.toString(f.retryAfterSeconds()));
            String message = f.reason() == Reason.RATE_LIMITED ? f.detail() : "Incorrect username or password.";
            html(res, status, LoginPage.login(v.request().target().client().clientId(), hidden(form), csrf, username, message,
                    upstreamPages.buttons(returnTo(form))));
            return;
        }
        sendCode(res, v, code, form.single("state"));
    }

    private void sendCode(ServerResponse res, Validated v, Secret code, String state) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("code", code.value());
        answer.put("state", state);
        answer.put("iss", issuer);
        v.mode().send(res, v.request().target().redirectUri(), answer);
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
            error.put("iss", issuer);
            mode.send(res, target.redirectUri(), error);
            return null;
        }
        try {
            if (mode == null) throw Failure.invalidRequest("response_mode", "response_mode must be query, fragment or form_post");
            Request request = authorizations.check(target, params.single("response_type"), Scopes.parse(params.single("scope")),
                    params.single("nonce"), params.single("code_challenge"), params.single("code_challenge_method"));
            return new Validated(request, mode);
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
            error.put("iss", issuer);
            // Errors go back the way the client asked for its answer (query when it asked for none we know).
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

    private static Map<String, String> hidden(Form params) {
        Map<String, String> hidden = new LinkedHashMap<>();
        for (String field : REQUEST_FIELDS) hidden.put(field, params.single(field));
        return hidden;
    }

    static void html(ServerResponse res, int status, String page) {
        res.status(status);
        res.header(HeaderValues.create("Content-Type", "text/html; charset=utf-8"));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderValues.create("X-Frame-Options", "DENY"));
        res.header(HeaderValues.create("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"));
        res.header(HeaderValues.create("Referrer-Policy", "no-referrer"));
        res.send(page.getBytes(StandardCharsets.UTF_8));
    }

    private static String cookie(String header) { return cookie(header, CSRF_COOKIE); }

    /** The value of the cookie {@code name} in a Cookie header, or null. */
    static String cookie(String header, String name) {
        if (header == null) return null;
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(name + "=")) return p.substring(name.length() + 1);
        }
        return null;
    }

    private record Validated(Request request, ResponseMode mode) {
    }
}
