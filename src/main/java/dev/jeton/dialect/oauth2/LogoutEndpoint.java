package dev.jeton.dialect.oauth2;

import dev.jeton.engine.session.Logout;
import dev.jeton.engine.session.OidcSessions;
import dev.jeton.http.Bodies;
import dev.jeton.http.Form;
import dev.jeton.http.RateLimits;
import dev.jeton.model.Failure;
import dev.jeton.model.Origin;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /oidc/logout}, the end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0), GET
 * or form POST. A valid request ends the browser's session (cookie cleared, server record
 * revoked, back-channel notices sent) and returns to the registered
 * {@code post_logout_redirect_uri} with {@code state}, or shows a "signed out" page. A bad
 * request is shown to the user and changes nothing: the redirect URI cannot be trusted then.
 */
final class LogoutEndpoint {
    private static final System.Logger LOG = System.getLogger(LogoutEndpoint.class.getName());

    private final OidcSessions oidc;
    private final Bodies bodies;
    private final RateLimits limits;
    private final SessionCookie cookie;

    LogoutEndpoint(OidcSessions oidc, Bodies bodies, RateLimits limits, String issuer) {
        this.oidc = oidc;
        this.bodies = bodies;
        this.limits = limits;
        this.cookie = new SessionCookie(issuer);
    }

    void handle(ServerRequest req, ServerResponse res) {
        Logout.Plan plan;
        String state;
        Origin origin = new Origin(limits.source(req), null, null);
        try {
            Form params = req.prologue().method() == Method.POST ? bodies.form(req) : Bodies.query(req);
            plan = oidc.logout().check(params.single("id_token_hint"), params.single("client_id"), params.single("post_logout_redirect_uri"),
                    origin);
            state = params.single("state");
        } catch (Failure f) {
            LOG.log(System.Logger.Level.INFO, "logout refused: {0} ({1})", f.detail(), f.check());
            AuthorizeEndpoint.html(res, 400, SessionPages.logoutError(f.detail()));
            return;
        }
        oidc.logout().end(plan, oidc.sessions().current(cookie.read(req)), origin);
        cookie.clear(res);
        if (plan.redirect() == null) {
            AuthorizeEndpoint.html(res, 200, SessionPages.signedOut());
            return;
        }
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("state", state);
        ResponseMode.QUERY.send(res, plan.redirect(), answer);
    }
}
