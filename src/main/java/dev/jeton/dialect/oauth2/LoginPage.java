package dev.jeton.dialect.oauth2;

import dev.jeton.http.HtmlText;

import java.util.Map;

/**
 * The login page: server-rendered HTML, no script, no external assets, every value escaped.
 * It carries the authorization request in hidden fields and a CSRF token that must match the
 * cookie set with the page.
 */
final class LoginPage {
    private static final String STYLE = """
            *{box-sizing:border-box}body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
            background:#f3f5f8;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330}
            main{width:100%;max-width:380px;margin:24px;padding:32px;background:#fff;border-radius:12px;
            box-shadow:0 1px 3px rgba(0,0,0,.08),0 8px 24px rgba(0,0,0,.06)}
            h1{margin:0 0 4px;font-size:22px}p.app{margin:0 0 24px;color:#5b6475;font-size:14px}
            label{display:block;margin:16px 0 6px;font-size:14px;font-weight:600}
            input[type=text],input[type=password]{width:100%;padding:10px 12px;border:1px solid #c8ced8;border-radius:8px;font:inherit}
            input:focus{outline:2px solid #3b6fd8;outline-offset:1px;border-color:#3b6fd8}
            button{width:100%;margin-top:24px;padding:11px;border:0;border-radius:8px;background:#2f5fc4;color:#fff;
            font:inherit;font-weight:600;cursor:pointer}button:hover{background:#264fa6}
            .error{margin:0 0 8px;padding:10px 12px;border-radius:8px;background:#fdecec;color:#a11d1d;font-size:14px}
            .or{margin:20px 0 0;text-align:center;color:#5b6475;font-size:13px}
            a.upstream{display:block;margin-top:12px;padding:10px;border:1px solid #c8ced8;border-radius:8px;text-align:center;
            color:#1d2330;text-decoration:none;font-weight:600}a.upstream:hover{background:#f3f5f8}
            footer{margin-top:20px;text-align:center;color:#5b6475;font-size:12px}
            button.secondary{margin-top:10px;background:#fff;color:#2f5fc4;border:1px solid #c8ced8}button.secondary:hover{background:#f3f5f8}
            .code{font:600 24px/1.2 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:2px;text-align:center;margin:8px 0 16px}
            ul.scopes{margin:4px 0 8px;padding-left:20px;font-size:14px}.done{margin:8px 0 0;font-size:15px}
            """;

    private LoginPage() {
    }

    /** A "Sign in with NAME" button: the upstream's name and where the button leads. */
    record Upstream(String name, String href) {
    }

    static String login(String clientId, Map<String, String> hidden, String csrf, String username, String error) {
        return login(clientId, hidden, csrf, username, error, java.util.List.of());
    }

    static String login(String clientId, Map<String, String> hidden, String csrf, String username, String error,
                        java.util.List<Upstream> upstreams) {
        String fields = hiddenFields(hidden, csrf);
        return page("Sign in", """
                <h1>Sign in</h1>
                <p class="app">to continue to <strong>%s</strong></p>
                %s<form method="post" action="/oidc/authorize" autocomplete="on">
                %s<label for="username">Username</label>
                <input type="text" id="username" name="username" value="%s" autocomplete="username" required%s>
                <label for="password">Password</label>
                <input type="password" id="password" name="password" autocomplete="current-password" required%s>
                <button type="submit">Sign in</button>
                </form>
                %s""".formatted(escape(clientId), error == null ? "" : "<p class=\"error\" role=\"alert\">" + escape(error) + "</p>\n",
                fields, escape(username == null ? "" : username),
                // Focus where the user types next: the password once the name is known.
                username == null ? " autofocus" : "", username == null ? "" : " autofocus", buttons(upstreams)));
    }

    /** "Sign in with NAME", one per upstream identity provider (the login page's and the device page's). */
    static String buttons(java.util.List<Upstream> upstreams) {
        if (upstreams.isEmpty()) return "";
        StringBuilder out = new StringBuilder("<p class=\"or\">or</p>\n");
        for (Upstream u : upstreams) {
            out.append("<a class=\"upstream\" href=\"").append(escape(u.href())).append("\">Sign in with ").append(escape(u.name()))
                    .append("</a>\n");
        }
        return out.toString();
    }

    /** The authorization request and the CSRF token, carried by every form posted to the authorization endpoint. */
    static String hiddenFields(Map<String, String> hidden, String csrf) {
        StringBuilder fields = new StringBuilder();
        hidden.forEach((name, value) -> {
            if (value != null) {
                fields.append("<input type=\"hidden\" name=\"").append(escape(name)).append("\" value=\"").append(escape(value)).append("\">\n");
            }
        });
        fields.append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrf)).append("\">\n");
        return fields.toString();
    }

    /** For requests that cannot be sent back to the application: no valid client or redirect URI. */
    static String error(String message) {
        return page("Cannot sign in", """
                <h1>Cannot sign in</h1>
                <p class="error" role="alert">%s</p>
                <p class="app">Return to the application and try again. If this keeps happening, tell its administrator.</p>
                """.formatted(escape(message)));
    }

    /** A page in this style: the device verification pages use it too. */
    static String page(String title, String body) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
                <title>%s · Jeton</title><style>%s</style></head>
                <body><main>
                %s<footer>Jeton</footer>
                </main></body></html>
                """.formatted(escape(title), STYLE, body);
    }

    static String escape(String s) { return HtmlText.escape(s); }
}
