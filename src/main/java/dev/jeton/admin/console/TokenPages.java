package dev.jeton.admin.console;

import dev.jeton.audit.AuditReader;
import dev.jeton.engine.Revocation;
import dev.jeton.model.Failure;
import io.helidon.http.Method;

import static dev.jeton.admin.console.Html.esc;

/**
 * Tokens: revoke one by its value (an access token is refused until it expires, a refresh token
 * ends its whole family) or a refresh family by id, and the tokens issued lately, each family
 * with a button that revokes it. A pasted token is never shown back or logged.
 */
final class TokenPages implements ConsolePages {
    static final String KIND = "tokens";
    private static final int RECENT = 50;
    private final AuditPages audit;

    TokenPages(AuditPages audit) { this.audit = audit; }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/tokens", this::list);
        routes.add(Method.POST, "/tokens/revoke", call -> {
            String token = call.field("token", true);
            Revocation.Revoked revoked = call.changes(KIND).revokeToken(token)
                    .orElseThrow(() -> Failure.notFound("that is not a token of this server (or it has expired): nothing was revoked"));
            String what = revoked.familyId() != null
                    ? "The refresh token's family " + revoked.familyId() + " is revoked: none of its refresh tokens works any more."
                    : "The access token " + revoked.jti() + " is revoked: it is refused until it expires.";
            done(call, what);
        });
        routes.add(Method.POST, "/tokens/families/revoke", call -> revokeFamily(call, call.field("family", true)));
        routes.add(Method.POST, "/tokens/families/{id}/revoke", call -> revokeFamily(call, call.path("id")));
    }

    private static void revokeFamily(ConsoleCall call, String id) {
        if (!call.changes(KIND).revokeFamily(id)) throw Failure.notFound("no active refresh family '" + id + "' (already revoked, or never issued)");
        done(call, "The refresh family " + id + " is revoked: none of its refresh tokens works any more.");
    }

    private static void done(ConsoleCall call, String what) {
        call.page("Token revoked", "<h1>Token revoked</h1><p role=\"status\">" + esc(what) + "</p><p>"
                + Html.link("/console/tokens", "Tokens") + " · " + Html.link("/console/audit", "Audit log") + "</p>");
    }

    private void list(ConsoleCall call) {
        call.mayRead(KIND);
        String forms = !call.mayChange(KIND) ? "" : """
                <form class="card" method="post" action="/console/tokens/revoke" autocomplete="off"><h2>Revoke a token</h2>%s
                <label for="token">Access or refresh token</label><input id="token" name="token" type="password" required autocomplete="off">
                <p class="muted">The token is not shown or stored; an access token is refused until it expires, a refresh token ends its family.</p>
                <button type="submit">Revoke token</button></form>
                <form class="card" method="post" action="/console/tokens/families/revoke"><h2>Revoke a refresh family</h2>%s%s
                <button type="submit">Revoke family</button></form>""".formatted(Html.csrf(call.session()), Html.csrf(call.session()),
                Html.field("family", "Refresh family id", null, true));
        call.page("Tokens", "<h1>Tokens</h1>" + forms + "<h2>Issued lately</h2>"
                + audit.tokens(new AuditReader.Filter(null, null, "issued", null), RECENT, call));
    }
}
