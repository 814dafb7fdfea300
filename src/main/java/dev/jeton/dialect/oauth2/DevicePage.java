package dev.jeton.dialect.oauth2;

import java.util.List;
import java.util.Set;

import static dev.jeton.dialect.oauth2.LoginPage.escape;

/**
 * The RFC 8628 verification pages, in the login page's style: enter the code shown on the
 * device; sign in (with a password or through an upstream identity provider) and approve (or
 * deny) what that client asks for; the outcome.
 */
final class DevicePage {
    private DevicePage() {
    }

    static String enterCode(String csrf, String typed, String error) {
        return LoginPage.page("Connect a device", """
                <h1>Connect a device</h1>
                <p class="app">Enter the code shown on your device or terminal.</p>
                %s<form method="post" action="%s">
                <input type="hidden" name="csrf" value="%s">
                <label for="user_code">Code</label>
                <input type="text" id="user_code" name="user_code" value="%s" placeholder="BCDF-GHJK" autocomplete="off"
                 autocapitalize="characters" spellcheck="false" required autofocus>
                <button type="submit" name="action" value="continue">Continue</button>
                </form>
                """.formatted(error(error), OAuth2Dialect.DEVICE, escape(csrf), escape(typed == null ? "" : typed)));
    }

    static String approve(String csrf, String clientId, Set<String> scope, String userCode, String username, String error,
                          List<LoginPage.Upstream> upstreams) {
        return LoginPage.page("Approve device", request(clientId, scope, userCode) + """
                %s<form method="post" action="%s" autocomplete="on">
                <input type="hidden" name="csrf" value="%s">
                <input type="hidden" name="user_code" value="%s">
                <label for="username">Username</label>
                <input type="text" id="username" name="username" value="%s" autocomplete="username" required%s>
                <label for="password">Password</label>
                <input type="password" id="password" name="password" autocomplete="current-password" required%s>
                <button type="submit" id="approve" name="action" value="approve">Sign in and approve</button>
                <button type="submit" id="deny" class="secondary" name="action" value="deny" formnovalidate>Deny</button>
                </form>
                %s""".formatted(error(error), OAuth2Dialect.DEVICE, escape(csrf), escape(userCode),
                escape(username == null ? "" : username), username == null ? " autofocus" : "", username == null ? "" : " autofocus",
                LoginPage.buttons(upstreams)));
    }

    /** After "Sign in with NAME" came back to this code: the user is known, only the decision is left. */
    static String approveSignedIn(String csrf, String clientId, Set<String> scope, String userCode, String username, String error) {
        return LoginPage.page("Approve device", request(clientId, scope, userCode) + """
                %s<p class="app" id="signed-in">Signed in as <strong>%s</strong>.</p>
                <form method="post" action="%s">
                <input type="hidden" name="csrf" value="%s">
                <input type="hidden" name="user_code" value="%s">
                <button type="submit" id="approve" name="action" value="%s" autofocus>Approve as %s</button>
                <button type="submit" id="deny" class="secondary" name="action" value="deny">Deny</button>
                </form>
                """.formatted(error(error), escape(username), OAuth2Dialect.DEVICE, escape(csrf), escape(userCode),
                DeviceVerification.APPROVE_SIGNED_IN, escape(username)));
    }

    /** What is asked, by whom, and the code to compare with the device's. */
    private static String request(String clientId, Set<String> scope, String userCode) {
        StringBuilder scopes = new StringBuilder();
        for (String s : scope) scopes.append("<li>").append(escape(describe(s))).append("</li>");
        if (scope.isEmpty()) scopes.append("<li>access as you</li>");
        return """
                <h1>Approve device</h1>
                <p class="app"><strong>%s</strong> asks to act as you, with:</p>
                <ul class="scopes">%s</ul>
                <p class="app">Only approve if this code is the one on your device:</p>
                <p class="code" id="user-code">%s</p>
                """.formatted(escape(clientId), scopes, escape(userCode));
    }

    static String approved(String clientId) {
        return LoginPage.page("Device approved", """
                <h1>Device approved</h1>
                <p class="done" role="status"><strong>%s</strong> is signed in. You can close this window and return to your device.</p>
                """.formatted(escape(clientId)));
    }

    static String denied(String clientId) {
        return LoginPage.page("Request denied", """
                <h1>Request denied</h1>
                <p class="done" role="status"><strong>%s</strong> was not signed in. You can close this window.</p>
                """.formatted(escape(clientId)));
    }

    private static String describe(String scope) {
        return switch (scope) {
            case "registry" -> "registry: pull and push images as your registry rules allow";
            case "openid" -> "openid: your sign-in identity";
            case "profile" -> "profile: your user name";
            case "offline_access" -> "offline_access: stay signed in";
            default -> scope;
        };
    }

    private static String error(String error) {
        return error == null ? "" : "<p class=\"error\" role=\"alert\">" + escape(error) + "</p>\n";
    }
}
