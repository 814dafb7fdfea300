package dev.jeton.dialect.oauth2;

import dev.jeton.engine.device.DeviceFlow;
import dev.jeton.engine.upstream.UpstreamSignIn;
import dev.jeton.http.Bodies;
import dev.jeton.http.Form;
import dev.jeton.http.RateLimits;
import dev.jeton.model.Failure;
import dev.jeton.model.Origin;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * {@code /oidc/device}, RFC 8628's verification URI: GET shows the code form, or, with
 * {@code user_code} (the verification_uri_complete), the approval form at once; POST takes the
 * code, then the user's sign-in with approve or deny. The sign-in is a password or "Sign in with
 * NAME" through an upstream identity provider, which returns the browser to this code's page.
 * Forms carry a CSRF token matched to a cookie, as the login page's do. Every answer is a page: the user, not a program, reads it.
 */
final class DeviceVerification {
    private static final String CSRF_COOKIE = "jeton_device_csrf";
    /** The action of the approve button once the user signed in through an upstream identity provider. */
    static final String APPROVE_SIGNED_IN = "approve_signed_in";

    private final DeviceFlow flow;
    private final Bodies bodies;
    private final RateLimits limits;
    private final RandomTokens random = new RandomTokens();
    private final boolean secureCookie;
    private final UpstreamSignIn upstreams;
    private final UpstreamPages upstreamPages;

    DeviceVerification(DeviceFlow flow, Bodies bodies, RateLimits limits, String issuer, UpstreamSignIn upstreams,
                       UpstreamPages upstreamPages) {
        this.flow = flow;
        this.upstreams = upstreams;
        this.upstreamPages = upstreamPages;
        this.bodies = bodies;
        this.limits = limits;
        this.secureCookie = issuer.startsWith("https://");
    }

    void show(ServerRequest req, ServerResponse res) {
        String typed = Bodies.query(req).single("user_code");
        String csrf = newCsrf(res);
        if (typed == null) {
            AuthorizeEndpoint.html(res, 200, DevicePage.enterCode(csrf, null, null));
            return;
        }
        showApproval(req, res, origin(req), csrf, typed);
    }

    void submit(ServerRequest req, ServerResponse res) {
        Form form = bodies.form(req);
        String csrf = form.single("csrf");
        String cookie = SessionCookie.read(req, CSRF_COOKIE);
        if (csrf == null || cookie == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8))) {
            AuthorizeEndpoint.html(res, 400, DevicePage.enterCode(newCsrf(res), form.single("user_code"),
                    "This form has expired or did not come from this site. Enter the code again."));
            return;
        }
        String typed = form.single("user_code");
        String action = form.single("action");
        Origin origin = origin(req);
        if (!"approve".equals(action) && !"deny".equals(action) && !APPROVE_SIGNED_IN.equals(action)) {
            showApproval(req, res, origin, csrf, typed);
            return;
        }
        DeviceFlow.Pending pending = pendingOrCodePage(res, origin, csrf, typed);
        if (pending == null) return;
        if ("deny".equals(action)) {
            try {
                flow.deny(typed, origin);
            } catch (Failure f) {
                AuthorizeEndpoint.html(res, status(f), DevicePage.enterCode(csrf, typed, f.detail()));
                return;
            }
            AuthorizeEndpoint.html(res, 200, DevicePage.denied(pending.clientId()));
            return;
        }
        if (APPROVE_SIGNED_IN.equals(action)) {
            approveSignedIn(req, res, origin, csrf, pending);
            return;
        }
        String username = form.single("username");
        String password = form.single("password");
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            AuthorizeEndpoint.html(res, 400, DevicePage.approve(csrf, pending.clientId(), pending.scope(), pending.userCode(), username,
                    "Enter your username and password.", buttons(pending)));
            return;
        }
        try {
            flow.approve(typed, username, new Secret(password), origin);
        } catch (Failure f) {
            if (f.reason() == Reason.RATE_LIMITED) res.header(HeaderNames.RETRY_AFTER, Long.toString(f.retryAfterSeconds()));
            String message = f.reason() == Reason.RATE_LIMITED || "user_code".equals(f.param()) ? f.detail() : "Incorrect username or password.";
            AuthorizeEndpoint.html(res, status(f), DevicePage.approve(csrf, pending.clientId(), pending.scope(), pending.userCode(), username, message,
                    buttons(pending)));
            return;
        }
        AuthorizeEndpoint.html(res, 200, DevicePage.approved(pending.clientId()));
    }

    /**
     * The approval form for the code: the password form with "Sign in with NAME", or, when this
     * browser came back from an upstream sign-in for this very code, "Approve as NAME". Showing
     * does not use the sign-in up; the approval takes it, so a reload shows the same page.
     */
    private void showApproval(ServerRequest req, ServerResponse res, Origin origin, String csrf, String typed) {
        DeviceFlow.Pending pending = pendingOrCodePage(res, origin, csrf, typed);
        if (pending == null) return;
        Optional<User> signedIn = upstreams.peek(UpstreamPages.browser(req), returnTo(pending));
        AuthorizeEndpoint.html(res, 200, signedIn.isPresent()
                ? DevicePage.approveSignedIn(csrf, pending.clientId(), pending.scope(), pending.userCode(), signedIn.get().name(), null)
                : DevicePage.approve(csrf, pending.clientId(), pending.scope(), pending.userCode(), null, null, buttons(pending)));
    }

    /**
     * "Approve as NAME": takes, once, the upstream sign-in this browser finished for this code's
     * page; one made for another code's page does not match and is not taken.
     */
    private void approveSignedIn(ServerRequest req, ServerResponse res, Origin origin, String csrf, DeviceFlow.Pending pending) {
        try {
            flow.approveSignedIn(pending.userCode(), upstreams.take(UpstreamPages.browser(req), returnTo(pending)), origin);
        } catch (Failure f) {
            if (f.reason() == Reason.RATE_LIMITED) res.header(HeaderNames.RETRY_AFTER, Long.toString(f.retryAfterSeconds()));
            AuthorizeEndpoint.html(res, status(f), DevicePage.approve(csrf, pending.clientId(), pending.scope(), pending.userCode(), null,
                    f.detail(), buttons(pending)));
            return;
        }
        AuthorizeEndpoint.html(res, 200, DevicePage.approved(pending.clientId()));
    }

    private List<LoginPage.Upstream> buttons(DeviceFlow.Pending pending) {
        return upstreamPages.buttons(returnTo(pending));
    }

    /** This code's page, where "Sign in with NAME" returns: the code as displayed, however the user typed it. */
    private static String returnTo(DeviceFlow.Pending pending) {
        return OAuth2Dialect.DEVICE + "?user_code=" + URLEncoder.encode(pending.userCode(), StandardCharsets.UTF_8);
    }

    /** The pending request behind the code, or null once the code form has been sent again with what was wrong. */
    private DeviceFlow.Pending pendingOrCodePage(ServerResponse res, Origin origin, String csrf, String typed) {
        try {
            return flow.pending(typed, origin);
        } catch (Failure f) {
            if (f.reason() == Reason.RATE_LIMITED) res.header(HeaderNames.RETRY_AFTER, Long.toString(f.retryAfterSeconds()));
            AuthorizeEndpoint.html(res, status(f), DevicePage.enterCode(csrf, typed, f.detail()));
            return null;
        }
    }

    private Origin origin(ServerRequest req) {
        return new Origin(limits.source(req), req.headers().first(HeaderNames.X_FORWARDED_FOR).orElse(null),
                req.headers().first(HeaderNames.USER_AGENT).orElse(null));
    }

    private static int status(Failure f) {
        return f.reason() == Reason.RATE_LIMITED ? 429 : 400;
    }

    private String newCsrf(ServerResponse res) {
        String csrf = random.id();
        res.header(HeaderNames.SET_COOKIE, CSRF_COOKIE + "=" + csrf + "; Path=" + OAuth2Dialect.DEVICE + "; HttpOnly; SameSite=Strict"
                + (secureCookie ? "; Secure" : ""));
        return csrf;
    }
}
