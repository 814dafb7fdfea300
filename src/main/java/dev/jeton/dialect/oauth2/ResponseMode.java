package dev.jeton.dialect.oauth2;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How the authorization response (code or error) reaches the client: in the redirect URI's
 * query (the default for code), its fragment (OAuth 2.0 Multiple Response Types 2.1), or posted
 * by an auto-submitting form (OAuth 2.0 Form Post Response Mode). The form page runs no inline
 * script: it loads {@link #SCRIPT_PATH} from this origin, so a CSP of {@code script-src 'self'}
 * holds, and without script its button posts the same form.
 */
enum ResponseMode {
    QUERY, FRAGMENT, FORM_POST;

    static final String SCRIPT_PATH = "/oidc/form_post.js";
    static final byte[] SCRIPT = "document.forms[0].submit();\n".getBytes(StandardCharsets.US_ASCII);

    /** Null when {@code value} names no mode Jeton supports. */
    static ResponseMode parse(String value) {
        if (value == null) return QUERY;
        return switch (value) {
            case "query" -> QUERY;
            case "fragment" -> FRAGMENT;
            case "form_post" -> FORM_POST;
            default -> null;
        };
    }

    void send(ServerResponse res, String redirectUri, Map<String, String> params) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        if (this == FORM_POST) {
            postForm(res, redirectUri, params);
            return;
        }
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue() == null) continue;
            if (!query.isEmpty()) query.append('&');
            query.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        // Nothing to add (a logout redirect without state): exactly the registered URI, no stray '?'.
        StringBuilder location = new StringBuilder(redirectUri);
        if (!query.isEmpty()) location.append(this == QUERY ? (redirectUri.contains("?") ? '&' : '?') : '#').append(query);
        res.status(302);
        res.header(HeaderNames.LOCATION, location.toString());
        res.send();
    }

    private static void postForm(ServerResponse res, String redirectUri, Map<String, String> params) {
        StringBuilder fields = new StringBuilder();
        params.forEach((name, value) -> {
            if (value != null) {
                fields.append("<input type=\"hidden\" name=\"").append(LoginPage.escape(name)).append("\" value=\"")
                        .append(LoginPage.escape(value)).append("\">\n");
            }
        });
        String page = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Continue · Jeton</title></head>
                <body>
                <form method="post" action="%s">
                %s<noscript><p>Your browser does not run scripts: continue to the application with this button.</p></noscript>
                <button type="submit">Continue</button>
                </form>
                <script src="%s"></script>
                </body></html>
                """.formatted(LoginPage.escape(redirectUri), fields, SCRIPT_PATH);
        res.status(200);
        res.header(HeaderValues.create("Content-Type", "text/html; charset=utf-8"));
        res.header(HeaderValues.create("X-Frame-Options", "DENY"));
        res.header(HeaderValues.create("Content-Security-Policy", "default-src 'none'; script-src 'self'; frame-ancestors 'none'"));
        res.header(HeaderValues.create("Referrer-Policy", "no-referrer"));
        res.send(page.getBytes(StandardCharsets.UTF_8));
    }
}
