package dev.jeton.dialect.oauth2;

import dev.jeton.engine.upstream.UpstreamSignIn;
import dev.jeton.http.Bodies;
import dev.jeton.http.Form;
import dev.jeton.http.Origins;
import dev.jeton.model.Failure;
import dev.jeton.model.Secret;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * "Sign in with NAME": {@code GET /oidc/upstream/signin/NAME?return=PATH} sends the browser to
 * the provider with a cookie that binds the sign-in to it (HttpOnly, SameSite=Lax so that it
 * comes back with the provider's redirect, ten minutes); {@code GET /oidc/upstream/callback}
 * takes the provider's answer and returns the browser to {@code PATH}, a page of this server that
 * takes the sign-in (the authorization endpoint, a device verification page). Every refusal is
 * a page that says what went wrong, never a redirect.
 */
final class UpstreamPages {
    static final String START = "/oidc/upstream/signin/";
    static final String COOKIE = "jeton_upstream";
    /** A path on this server under /oidc/, nothing that a browser could read as another host. */
    private static final Pattern RETURN = Pattern.compile("/oidc/[A-Za-z0-9_./?=&%+~*-]{0,4000}");

    private final UpstreamSignIn signIn;
    private final String issuer;
    private final boolean secureCookie;

    UpstreamPages(UpstreamSignIn signIn, String issuer) {
        this.signIn = signIn;
        this.issuer = issuer;
        this.secureCookie = issuer.startsWith("https://");
    }

    /** The buttons a login page that returns to {@code returnTo} shows, one per upstream. */
    List<LoginPage.Upstream> buttons(String returnTo) {
        return signIn.names().stream().map(name -> new LoginPage.Upstream(name, START + enc(name) + "?return=" + enc(returnTo))).toList();
    }

    void start(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        String returnTo;
        try {
            returnTo = Bodies.query(req).single("return");
        } catch (Failure malformed) {
            returnTo = null;
        }
        if (returnTo == null || !RETURN.matcher(returnTo).matches() || returnTo.split("\\?", 2)[0].contains("..")) {
            AuthorizeEndpoint.html(res, 400, LoginPage.error("This sign-in link is not valid. Start again from the application."));
            return;
        }
        UpstreamSignIn.Started started;
        try {
            started = signIn.start(name, returnTo, Origins.of(req));
        } catch (Failure f) {
            AuthorizeEndpoint.html(res, status(f), LoginPage.error(f.detail()));
            return;
        }
        res.header(HeaderNames.SET_COOKIE, COOKIE + "=" + started.browser().value() + "; Path=/oidc/; Max-Age=600; HttpOnly; SameSite=Lax"
                + (secureCookie ? "; Secure" : ""));
        res.status(302);
        res.header(HeaderNames.LOCATION, started.location());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send();
    }

    void callback(ServerRequest req, ServerResponse res) {
        UpstreamSignIn.Answer answer;
        try {
            Form query = Bodies.query(req);
            answer = new UpstreamSignIn.Answer(query.single("state"), query.single("code"), shortened(query.single("error")),
                    shortened(query.single("error_description")), query.single("iss"));
        } catch (Failure malformed) {
            Failure f = signIn.malformedAnswer(malformed.detail(), Origins.of(req));
            AuthorizeEndpoint.html(res, 400, LoginPage.error(f.detail()));
            return;
        }
        String returnTo;
        try {
            returnTo = signIn.finish(answer, browser(req), Origins.of(req));
        } catch (Failure f) {
            AuthorizeEndpoint.html(res, status(f), LoginPage.error(f.detail()));
            return;
        }
        res.status(302);
        res.header(HeaderNames.LOCATION, issuer + returnTo);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send();
    }

    /** The browser's sign-in secret from its cookie, or null. */
    static Secret browser(ServerRequest req) {
        String header = req.headers().first(HeaderNames.COOKIE).orElse(null);
        if (header == null) return null;
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=") && p.length() > COOKIE.length() + 1) return new Secret(p.substring(COOKIE.length() + 1));
        }
        return null;
    }

    private static int status(Failure f) {
        return switch (f.reason()) {
            case NOT_FOUND -> 404;
            case UNAVAILABLE -> 502;
            case INTERNAL -> 500;
            default -> 400;
        };
    }

    /** What the provider says about an error is shown to the user: a sentence, not a page. */
    private static String shortened(String s) {
        return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
