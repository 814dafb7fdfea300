package dev.jeton.admin.console;

import dev.jeton.engine.Accounts;
import dev.jeton.engine.ApiKeys;
import dev.jeton.engine.ApiKeys.NewApiKey;
import dev.jeton.model.ApiKey;
import dev.jeton.model.Failure;
import dev.jeton.model.Scopes;
import dev.jeton.model.User;
import io.helidon.http.Method;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.jeton.admin.console.Html.esc;
import static dev.jeton.admin.console.Html.seg;

/** API keys: the list (never a key itself), creating one (its value shown once), and revoking one. */
final class ApiKeyPages implements ConsolePages {
    private static final String KIND = "api-keys";
    private final ApiKeys apiKeys;
    private final Accounts accounts;

    ApiKeyPages(ApiKeys apiKeys, Accounts accounts) {
        this.apiKeys = apiKeys;
        this.accounts = accounts;
    }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/api-keys", this::list);
        routes.add(Method.POST, "/api-keys", call -> {
            String user = call.field("user", true);
            String name = call.field("name", false);
            String scopes = call.field("scopes", false);
            Set<String> scopeSet = scopes == null ? Set.of() : new LinkedHashSet<>(Scopes.parse(scopes));
            NewApiKey created = call.changes(KIND).createApiKey(user, name, scopeSet, expiry(call.field("expires_in", false)));
            call.page("API key created", """
                    <h1>API key created</h1><p>Copy the key now: it is shown this once and stored only as a hash.</p>
                    <p><label for="secret">API key for %s</label><output id="secret" class="secret">%s</output></p><p>%s</p>"""
                    .formatted(esc(created.userName()), esc(created.secret().value()), Html.link("/console/api-keys", "All API keys")));
        });
        routes.add(Method.POST, "/api-keys/{id}/revoke", call -> {
            call.changes(KIND).revokeApiKey(call.path("id"));
            call.seeOther("/console/api-keys");
        });
    }

    private void list(ConsoleCall call) {
        call.mayRead(KIND);
        boolean change = call.mayChange(KIND);
        Map<String, String> owners = accounts.users().stream().collect(Collectors.toMap(User::id, User::name));
        List<List<String>> rows = new ArrayList<>();
        for (ApiKey k : apiKeys.list(null)) {
            String revoke = !change || k.revokedAt() != null ? "" : """
                    <form class="inline" method="post" action="/console/api-keys/%s/revoke">%s<button type="submit" aria-label="Revoke API key %s">Revoke</button></form>"""
                    .formatted(seg(k.id()), Html.csrf(call.session()), esc(k.id()));
            rows.add(List.of(esc(k.id()), esc(owners.getOrDefault(k.userId(), k.userId())), esc(k.name()),
                    esc(String.join(" ", k.scopes().stream().sorted().toList())), esc(String.valueOf(k.createdAt())),
                    k.expiresAt() == null ? "never" : esc(k.expiresAt().toString()),
                    k.revokedAt() == null ? "active" : "revoked " + esc(k.revokedAt().toString()), revoke));
        }
        String form = !change ? "" : """
                <form class="card" method="post" action="/console/api-keys"><h2>Create an API key</h2>%s%s%s%s%s
                <button type="submit">Create API key</button></form>""".formatted(Html.csrf(call.session()),
                Html.field("user", "User", null, true), Html.field("name", "Name", null, false),
                Html.field("scopes", "Scopes (space-separated)", null, false),
                Html.field("expires_in", "Expires in (such as 30d; empty: never)", null, false));
        call.page("API keys", "<h1>API keys</h1>"
                + Html.table("API keys (the keys themselves are never shown again)", List.of("ID", "User", "Name", "Scopes", "Created", "Expires", "State", "Actions"), rows) + form);
    }

    private static Duration expiry(String text) {
        if (text == null) return null;
        try {
            return dev.jeton.config.Durations.parse(text);
        } catch (RuntimeException e) {
            throw Failure.invalidRequest("expires_in", "expires in must be a duration such as 30m, 1h or 7d");
        }
    }
}
