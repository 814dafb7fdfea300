package dev.jeton.dialect.oauth2;

import dev.jeton.engine.device.DeviceFlow;
import dev.jeton.http.Bodies;
import dev.jeton.http.Form;
import dev.jeton.http.RateLimits;
import dev.jeton.model.Failure;
import dev.jeton.model.Origin;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.secrets.RandomTokens;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code /oidc/device}, RFC 8628's verification URI: GET shows the code form, or, with
 * {@code user_code} (the verification_uri_complete), the approval form at once; POST takes the
 * code, then the user's sign-in with approve or deny. Forms carry a CSRF token matched to a
 * cookie, as the login page's do. Every answer is a page: the user, not a program, reads it.
 */
final class DeviceVerification {
    private static final String CSRF_COOKIE = "jeton_device_csrf";

    private final DeviceFlow flow;
    private final Bodies bodies;
    private final RateLimits limits;
    private final RandomTokens random = new RandomTokens();
    private final boolean secureCookie;

    DeviceVerification(DeviceFlow flow, Bodies bodies, RateLimits limits, String issuer) {
        this.flow = flow;
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
        showApproval(res, origin(req), csrf, typed);
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
        if (!"approve".equals(action) && !"deny".equals(action)) {
            showApproval(res, origin, csrf, typed);
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
        String username = form.single("username");
        String password = form.single("password");
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            AuthorizeEndpoint.html(res, 400, DevicePage.approve(csrf, pending.clientId(), pending.scope(), pending.userCode(), username,
                    "Enter your username and password."));
            return;
        }
        try {
            flow.approve(typed, username, new Secret(password), origin);
        } catch (Failure f) {
            if (f.reason() == Reason.RATE_LIMITED) res.header(HeaderNames.RETRY_AFTER, Long.toString(f.retryAfterSeconds()));
            String message = f.reason() == Reason.RATE_LIMITED || "user_code".equals(f.param()) ? f.detail() : "Incorrect username or password.";
            AuthorizeEndpoint.html(res, status(f), DevicePage.approve(csrf, pending.clientId(), pending.scope(), pending.userCode(), username, message));
            return;
        }
        AuthorizeEndpoint.html(res, 200, DevicePage.approved(pending.clientId()));
    }

    private void showApproval(ServerResponse res, Origin origin, String csrf, String typed) {
        DeviceFlow.Pending pending = pendingOrCodePage(res, origin, csrf, typed);
        if (pending != null) AuthorizeEndpoint.html(res, 200, DevicePage.approve(csrf, pending.clientId(), pending.scope(), pending.userCode(), null, null));
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
