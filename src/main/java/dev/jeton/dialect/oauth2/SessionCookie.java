package dev.jeton.dialect.oauth2;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;

/**
 * The login session cookie: HttpOnly, SameSite=Lax (sent on the top-level redirects of sign-in
 * and logout, never on other sites' requests), Secure when the issuer is https. On a plain-HTTP
 * issuer (loopback development) it has no Secure flag, as browsers would drop it otherwise.
 * Path {@code /oidc} covers the authorization and logout endpoints.
 */
final class SessionCookie {
    static final String NAME = "jeton_session";

    private final boolean secure;

    SessionCookie(String issuer) {
        this.secure = issuer.startsWith("https://");
    }

    void set(ServerResponse res, String value, Duration lifetime) {
        res.headers().add(HeaderNames.SET_COOKIE, NAME + "=" + value + "; Path=/oidc; Max-Age=" + Math.max(0, lifetime.toSeconds())
                + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }

    void clear(ServerResponse res) {
        res.headers().add(HeaderNames.SET_COOKIE, NAME + "=; Path=/oidc; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
    }

    String read(ServerRequest req) { return read(req, NAME); }

    /** A cookie's value from every Cookie header; null when absent (the CSRF cookies of the login and device pages too). */
    static String read(ServerRequest req, String name) { return dev.jeton.http.Cookies.read(req, name); }
}
