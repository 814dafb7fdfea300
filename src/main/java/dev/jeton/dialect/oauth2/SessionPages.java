package dev.jeton.dialect.oauth2;

import java.util.Map;
import java.util.Set;

import static dev.jeton.dialect.oauth2.LoginPage.escape;
import static dev.jeton.dialect.oauth2.LoginPage.hiddenFields;
import static dev.jeton.dialect.oauth2.LoginPage.page;

/**
 * The pages of a login session besides the login form: the account chooser
 * ({@code prompt=select_account}), the consent page and the "signed out" page. Same look and
 * rules as the login page: no script, every value escaped, each form carries the request.
 */
final class SessionPages {
    private static final String SECONDARY = " style=\"background:#e8ecf3;color:#1d2330;margin-top:12px\"";

    private SessionPages() {
    }

    static String chooser(String clientId, String userName, Map<String, String> hidden, String csrf) {
        String fields = hiddenFields(hidden, csrf);
        return page("Choose an account", """
                <h1>Choose an account</h1>
                <p class="app">to continue to <strong>%s</strong></p>
                <form method="post" action="/oidc/authorize">
                %s<button type="submit" name="action" value="continue">Continue as %s</button>
                <button type="submit" name="action" value="switch"%s>Use another account</button>
                </form>
                """.formatted(escape(clientId), fields, escape(userName), SECONDARY));
    }

    static String consent(String clientId, String userName, Set<String> scope, Map<String, String> hidden, String csrf) {
        StringBuilder items = new StringBuilder();
        for (String s : scope) items.append("<li><code>").append(escape(s)).append("</code></li>\n");
        String fields = hiddenFields(hidden, csrf);
        return page("Allow access", """
                <h1>Allow access?</h1>
                <p class="app"><strong>%s</strong> asks to use your account <strong>%s</strong> with these scopes:</p>
                <ul>
                %s</ul>
                <form method="post" action="/oidc/authorize">
                %s<input type="hidden" name="action" value="consent">
                <button type="submit" name="decision" value="approve">Allow</button>
                <button type="submit" name="decision" value="deny"%s>Deny</button>
                </form>
                """.formatted(escape(clientId), escape(userName), items, fields, SECONDARY));
    }

    static String signedOut() {
        return page("Signed out", """
                <h1>Signed out</h1>
                <p class="app">You have signed out of Jeton. You can close this window.</p>
                """);
    }

    static String logoutError(String message) {
        return page("Cannot sign out", """
                <h1>Cannot sign out</h1>
                <p class="error" role="alert">%s</p>
                <p class="app">Your session was not changed. Return to the application and try again.</p>
                """.formatted(escape(message)));
    }
}
