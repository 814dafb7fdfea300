package dev.jeton.admin.console;

import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.engine.Engine;
import dev.jeton.http.Bodies;
import dev.jeton.http.Form;
import dev.jeton.http.Origins;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.Issued;
import dev.jeton.model.Reason;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.SubjectKind;
import dev.jeton.model.TokenRequest;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Signing in to the console with Jeton's own authorization code flow and PKCE: the console is
 * the public client {@code jeton-console} whose one redirect URI is {@code ISSUER/console/callback}.
 * The browser goes to {@code /oidc/authorize} like any relying party's; the code comes back and
 * is redeemed by the same authorization-code grant {@code /oidc/token} runs (in process: a server
 * behind a proxy may not reach its own public address), and is recorded in the audit log as an
 * issue to {@code jeton-console}.
 */
final class ConsoleSignIn {
    static final String CLIENT_ID = "jeton-console";
    private static final String STATE_COOKIE = "jeton_console_signin";

    private final Engine engine;
    private final String issuer;
    private final String redirectUri;
    private final ConsoleSessions sessions;
    private final boolean secure;

    ConsoleSignIn(Engine engine, String issuer, ConsoleSessions sessions, boolean secure) {
        this.engine = engine;
        this.issuer = issuer;
        this.redirectUri = issuer + Console.BASE + "/callback";
        this.sessions = sessions;
        this.secure = secure;
    }

    static ClientSpec client(String issuer) {
        return new ClientSpec(CLIENT_ID, Set.of(GrantType.AUTHORIZATION_CODE), Set.of("openid"), List.of(),
                List.of(issuer + Console.BASE + "/callback"), null, null, RefreshPolicy.ROTATING, true);
    }

    /** Off to the login page, with a fresh state (also kept in a cookie, so a code cannot be planted in another browser). */
    void start(ServerResponse res) {
        ConsoleSessions.Pending p = sessions.startSignIn();
        // Lax, not Strict: the callback may end a redirect chain that passed through an upstream identity provider's site.
        res.header(HeaderNames.SET_COOKIE, STATE_COOKIE + "=" + p.state() + "; Path=" + Console.BASE + "/callback; Max-Age="
                + ConsoleSessions.SIGN_IN_WINDOW.toSeconds() + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
        Console.redirect(res, issuer + "/oidc/authorize?response_type=code&client_id=" + CLIENT_ID + "&redirect_uri=" + enc(redirectUri)
                + "&scope=openid&state=" + enc(p.state()) + "&code_challenge=" + challenge(p.verifier()) + "&code_challenge_method=S256");
    }

    void finish(ServerRequest req, ServerResponse res) {
        Form query = Bodies.query(req);
        if (query.single("error") != null) {
            throw Failure.of(Reason.ACCESS_DENIED, "sign-in did not finish: " + query.single("error")
                    + (query.single("error_description") == null ? "" : " (" + query.single("error_description") + ")")).because("console.sign_in_refused");
        }
        String state = query.single("state");
        String cookie = dev.jeton.http.Cookies.read(req, STATE_COOKIE);
        if (state == null || cookie == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8))) {
            throw Failure.invalidRequest("state", "this sign-in was not started in this browser, or it took too long: sign in again")
                    .because("console.state_mismatch");
        }
        ConsoleSessions.Pending pending = sessions.finishSignIn(state)
                .orElseThrow(() -> Failure.invalidRequest("state", "this sign-in has expired or was already used: sign in again").because("console.state_expired"));
        String code = query.single("code");
        if (code == null || code.isBlank()) throw Failure.invalidRequest("code", "the sign-in came back without a code: sign in again").because("console.no_code");
        Issued issued = engine.issue(new TokenRequest.AuthorizationCode(Console.BASE.substring(1), ClientAuth.none(CLIENT_ID), new Secret(code),
                redirectUri, pending.verifier()), Origins.of(req));
        if (issued.subject().kind() != SubjectKind.USER) throw Failure.of(Reason.ACCESS_DENIED, "only users sign in to the console").because("console.not_a_user");
        ConsoleSessions.Session session = sessions.open(issued.subject().name());
        res.header(HeaderNames.SET_COOKIE, Console.SESSION_COOKIE + "=" + session.id() + "; Path=" + Console.BASE + "; Max-Age="
                + ConsoleSessions.LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
        // A page, not a redirect: after a chain that began on another site the browser would not send the Strict cookie on a redirect.
        ConsoleErrors.send(res, 200, Html.page("Signed in", null, """
                <meta http-equiv="refresh" content="0;url=/console/clients"><h1>Signed in</h1>
                <p><a href="/console/clients">Continue to the console</a></p>"""));
    }

    private static String challenge(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
