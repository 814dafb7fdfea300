package dev.jeton.admin.console;

import dev.jeton.admin.Versions;
import dev.jeton.engine.Accounts;
import dev.jeton.engine.OidcRegistrations;
import dev.jeton.engine.AdminChanges;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.engine.Accounts.NewClient;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Scopes;
import dev.jeton.model.Secret;
import io.helidon.http.Method;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;
import java.util.Set;

import static dev.jeton.admin.console.Html.esc;
import static dev.jeton.admin.console.Html.seg;

/** Clients: the list, a form to add one, and secret rotation with an overlap; a new secret is shown once. */
final class ClientPages implements ConsolePages {
    private static final String KIND = "clients";
    private final Accounts accounts;
    private final Supplier<OidcRegistrations> oidc;

    ClientPages(Accounts accounts, Supplier<OidcRegistrations> oidc) {
        this.accounts = accounts;
        this.oidc = oidc;
    }

    /** The client's version as the API's ETag names it, sign-in settings included. */
    private String version(Client client) { return Versions.of(client, oidc.get().client(client.clientId())); }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/clients", this::list);
        routes.add(Method.POST, "/clients", call -> {
            NewClient created = call.changes(KIND).addClient(spec(call));
            secretPage(call, "Client " + created.client().clientId() + " added", created.client().clientId(), created.secret(), null);
        });
        routes.add(Method.POST, "/clients/{id}/secret", call -> {
            AdminChanges changes = call.changes(KIND);
            String id = call.path("id");
            Client client = find(id);
            Duration overlap = overlap(call.field("overlap", false));
            call.requireVersion("Client " + id, version(client), ClientEditPage.path(id));
            Secret secret = changes.rotateClientSecret(id, overlap);
            secretPage(call, "New secret for " + id, id, secret,
                    accounts.previousSecretExpiry(id).map(t -> "The old secret keeps working until " + t + ".").orElse("The old secret no longer works."));
        });
    }

    private void list(ConsoleCall call) {
        call.mayRead(KIND);
        boolean change = call.mayChange(KIND);
        List<List<String>> rows = new ArrayList<>();
        for (Client c : accounts.clients()) {
            String rotate = change && !c.isPublic() ? """
                    <form class="inline" method="post" action="/console/clients/%s/secret">%s%s<label for="overlap-%s">Overlap</label>
                    <input id="overlap-%s" name="overlap" value="1h" size="6"><button type="submit">Rotate secret</button></form>"""
                    .formatted(seg(c.clientId()), Html.csrf(call.session()), Html.version(version(c)), esc(c.clientId()), esc(c.clientId())) : "";
            rows.add(List.of(Html.link("/console/principals/clients/" + seg(c.clientId()), c.clientId()),
                    esc(String.join(" ", c.grantTypes().stream().map(GrantType::wireName).sorted().toList())),
                    esc(String.join(" ", c.scopes().stream().sorted().toList())), c.isPublic() ? "public" : "confidential",
                    c.disabled() ? "disabled" : "active", Html.link(ClientEditPage.path(c.clientId()), (change ? "Edit " : "Settings of ") + c.clientId()) + " " + rotate));
        }
        String form = !change ? "" : """
                <form class="card" method="post" action="/console/clients"><h2>Add a client</h2>%s
                %s%s%s%s<label><input type="checkbox" name="public" value="true"> Public client (no secret; PKCE)</label>
                <button type="submit">Add client</button></form>""".formatted(Html.csrf(call.session()),
                Html.field("client_id", "Client ID", null, true),
                Html.field("grant_types", "Grant types (space-separated; empty: the usual ones)", null, false),
                Html.field("scopes", "Scopes (space-separated)", null, false),
                Html.field("redirect_uris", "Redirect URIs (space-separated)", null, false));
        call.page("Clients", "<h1>Clients</h1>" + Html.table("OAuth clients", List.of("Client", "Grants", "Scopes", "Type", "State", "Actions"), rows) + form);
    }

    static void secretPage(ConsoleCall call, String title, String clientId, Secret secret, String note) {
        String shown = secret == null ? "<p>This is a public client: it has no secret.</p>" : """
                <p>Copy the secret now: it is shown this once and stored only as a hash.</p>
                <p><label for="secret">Client secret</label><output id="secret" class="secret">%s</output></p>""".formatted(esc(secret.value()));
        call.page(title, "<h1>" + esc(title) + "</h1>" + shown + (note == null ? "" : "<p>" + esc(note) + "</p>")
                + "<p>" + Html.link(ClientEditPage.path(clientId), "Settings of " + clientId) + " · "
                + Html.link("/console/principals/clients/" + seg(clientId), "What " + clientId + " may do") + " · "
                + Html.link("/console/clients", "All clients") + "</p>");
    }

    Client find(String id) {
        return accounts.client(id).orElseThrow(() -> Failure.notFound("no client '" + id + "'"));
    }

    static Duration overlap(String text) {
        if (text == null) return Duration.ZERO;
        try {
            return dev.jeton.config.Durations.parse(text);
        } catch (RuntimeException e) {
            throw Failure.invalidRequest("overlap", "overlap must be a duration such as 30m, 1h or 7d");
        }
    }

    /** Grant types as typed (space- or comma-separated); none: the usual ones for the kind of client. */
    static Set<GrantType> grants(String text, boolean publicClient) {
        Set<GrantType> grants = new LinkedHashSet<>();
        if (text == null) {
            grants.addAll(Accounts.defaultGrants(publicClient));
        } else {
            for (String g : text.split("[\\s,]+")) {
                grants.add(GrantType.fromWire(g).orElseThrow(() -> Failure.invalidRequest("grant_types", "unknown grant type '" + g + "'")));
            }
        }
        return grants;
    }

    private static ClientSpec spec(ConsoleCall call) {
        String id = call.field("client_id", true);
        boolean publicClient = "true".equals(call.field("public", false));
        Set<GrantType> grants = grants(call.field("grant_types", false), publicClient);
        String scopes = call.field("scopes", false);
        String uris = call.field("redirect_uris", false);
        return new ClientSpec(id, grants, scopes == null ? Set.of() : new LinkedHashSet<>(Scopes.parse(scopes)), List.of(),
                uris == null ? List.of() : List.of(uris.split("\\s+")), null, null, RefreshPolicy.ROTATING, publicClient);
    }
}
