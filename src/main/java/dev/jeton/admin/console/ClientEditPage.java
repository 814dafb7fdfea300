package dev.jeton.admin.console;

import dev.jeton.admin.Versions;
import dev.jeton.config.Durations;
import dev.jeton.engine.Accounts;
import dev.jeton.engine.AdminChanges;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.engine.OidcRegistrations;
import dev.jeton.model.Client;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Scopes;
import dev.jeton.model.TokenAuthMethod;
import io.helidon.http.Method;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import static dev.jeton.admin.console.Html.esc;
import static dev.jeton.admin.console.Html.seg;

/**
 * One client's settings: its whole update (grants, scopes, audiences, redirect URIs, token
 * lifetimes, refresh policy, and the OpenID Connect registration of {@code jeton client update})
 * and its secret rotation with the overlap window in force. Both forms carry the client's version.
 */
final class ClientEditPage implements ConsolePages {
    private static final String KIND = "clients";
    private final Accounts accounts;
    private final Supplier<OidcRegistrations> oidc;

    ClientEditPage(Accounts accounts, Supplier<OidcRegistrations> oidc) {
        this.accounts = accounts;
        this.oidc = oidc;
    }

    static String path(String clientId) { return "/console/clients/" + seg(clientId); }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/clients/{id}", this::show);
        routes.add(Method.POST, "/clients/{id}", call -> {
            AdminChanges changes = call.changes(KIND);
            Client client = find(call.path("id"));
            ClientSpec spec = spec(call, client);
            ClientOidcSettings change = oidcChange(call);
            call.requireVersion("Client " + client.clientId(), Versions.of(client, oidc.get().client(client.clientId())), path(client.clientId()));
            // The registration first: its checks (a reachable kind of JWKS URL, keys for private_key_jwt) are the ones that
            // can still refuse, and a refusal must leave the client as it was, not half saved.
            if (change.idTokenAlg() != null || change.authMethod() != null || change.jwksUri() != null) {
                changes.updateClientOidc(client.clientId(), change);
            }
            changes.updateClient(spec);
            call.seeOther(path(client.clientId()));
        });
    }

    private void show(ConsoleCall call) {
        call.mayRead(KIND);
        Client c = find(call.path("id"));
        ClientOidcSettings registered = oidc.get().client(c.clientId());
        boolean change = call.mayChange(KIND);
        String overlap = accounts.previousSecretExpiry(c.clientId()).map(t -> "The previous secret keeps working until " + t + ".")
                .orElse("Only the current secret works (no overlap in force).");
        String disabled = change ? "" : " disabled";
        String edit = """
                <form class="card" method="post" action="%s"><h2>Settings</h2>%s%s
                %s%s%s%s%s%s
                <label for="refresh_policy">Refresh policy</label><select id="refresh_policy" name="refresh_policy"%s>%s</select>
                <label for="id_token_alg">ID token algorithm</label><select id="id_token_alg" name="id_token_alg"%s>%s</select>
                <label for="auth_method">Token endpoint authentication method</label><select id="auth_method" name="auth_method"%s>%s</select>
                %s%s</form>""".formatted(path(c.clientId()), change ? Html.csrf(call.session()) : "", Html.version(Versions.of(c, oidc.get().client(c.clientId()))),
                field("grant_types", "Grant types (space-separated)", String.join(" ", c.grantTypes().stream().map(GrantType::wireName).sorted().toList()), change),
                field("scopes", "Scopes (space-separated)", String.join(" ", c.scopes()), change),
                field("audiences", "Audiences (space-separated)", String.join(" ", c.audiences()), change),
                field("redirect_uris", "Redirect URIs (space-separated)", String.join(" ", c.redirectUris()), change),
                field("access_token_ttl", "Access token lifetime (such as 15m; empty: the server's default)", format(c.accessTokenTtl()), change),
                field("refresh_token_ttl", "Refresh token lifetime (such as 30d; empty: the server's default)", format(c.refreshTokenTtl()), change),
                disabled, options(List.of("rotating", "rotating-lenient", "reusable"), policy(c.refreshPolicy()), null),
                disabled, options(OidcRegistrations.ID_TOKEN_ALGORITHMS.stream().sorted().toList(), registered.idTokenAlgOrDefault(), null),
                disabled, options(java.util.Arrays.stream(TokenAuthMethod.values()).map(TokenAuthMethod::wireName).toList(),
                        registered.authMethod() == null ? "" : registered.authMethod().wireName(), "client_secret_basic or client_secret_post"),
                field("jwks_uri", "JWK set URL (for private_key_jwt)", registered.jwksUri(), change),
                change ? "<button type=\"submit\">Save client</button>" : "");
        String rotate = !change || c.isPublic() ? "" : """
                <form class="card" method="post" action="/console/clients/%s/secret"><h2>Rotate the secret</h2>%s%s
                <p>The new secret is shown once. During the overlap the old and the new secret both work, so deployments can move over one by one.</p>
                <label for="overlap">Overlap (such as 1h or 7d, at most 30d; 0s: the old secret stops at once)</label>
                <input id="overlap" name="overlap" value="1h"><button type="submit">Rotate secret</button></form>"""
                .formatted(seg(c.clientId()), Html.csrf(call.session()), Html.version(Versions.of(c, oidc.get().client(c.clientId()))));
        call.page("Client " + c.clientId(), "<h1>Client " + esc(c.clientId()) + "</h1><p>" + (c.isPublic() ? "A public client (no secret)." : esc(overlap))
                + "</p>" + edit + rotate + "<p>" + Html.link("/console/principals/clients/" + seg(c.clientId()), "What " + c.clientId() + " may do")
                + " · " + Html.link("/console/clients", "All clients") + "</p>");
    }

    private static String field(String id, String label, String value, boolean editable) {
        String input = Html.field(id, label, value, false);
        return editable ? input : input.replace("<input ", "<input readonly ");
    }

    /** The {@code <option>}s of a select; {@code empty} non-null adds a first "not set" option with that text. */
    private static String options(List<String> values, String selected, String empty) {
        StringBuilder out = new StringBuilder();
        if (empty != null) out.append("<option value=\"\"").append(selected.isEmpty() ? " selected" : "").append(">not set: ").append(esc(empty)).append("</option>");
        for (String v : values) out.append("<option").append(v.equals(selected) ? " selected" : "").append(">").append(esc(v)).append("</option>");
        return out.toString();
    }

    private Client find(String id) {
        return accounts.client(id).orElseThrow(() -> Failure.notFound("no client '" + id + "'"));
    }

    private static ClientSpec spec(ConsoleCall call, Client now) {
        String grantText = call.field("grant_types", false);
        if (grantText == null) throw Failure.invalidRequest("grant_types", "a client needs at least one grant type");
        java.util.Set<GrantType> grants = ClientPages.grants(grantText, now.isPublic());
        if (now.isPublic() && grants.contains(GrantType.CLIENT_CREDENTIALS)) {
            throw Failure.invalidRequest("grant_types", "a public client cannot use client_credentials: it has no secret to prove who it is");
        }
        String scopes = call.field("scopes", false);
        return new ClientSpec(now.clientId(), grants,
                scopes == null ? java.util.Set.of() : new LinkedHashSet<>(Scopes.parse(scopes)), words(call.field("audiences", false)),
                words(call.field("redirect_uris", false)), duration(call, "access_token_ttl"), duration(call, "refresh_token_ttl"),
                policy(call.field("refresh_policy", false), now.refreshPolicy()), now.isPublic());
    }

    /** Only what differs is sent on: an unchanged select keeps the registration (and its audit line) as it is. */
    private ClientOidcSettings oidcChange(ConsoleCall call) {
        ClientOidcSettings now = oidc.get().client(call.path("id"));
        String alg = call.field("id_token_alg", false);
        if (alg != null && !OidcRegistrations.ID_TOKEN_ALGORITHMS.contains(alg)) {
            throw Failure.invalidRequest("id_token_alg", "the ID token algorithm must be one of " + String.join(", ", OidcRegistrations.ID_TOKEN_ALGORITHMS));
        }
        String method = call.field("auth_method", false);
        TokenAuthMethod auth = method == null ? null : TokenAuthMethod.fromWire(method)
                .orElseThrow(() -> Failure.invalidRequest("auth_method", "unknown token endpoint authentication method '" + method + "'"));
        String jwksUri = call.field("jwks_uri", false);
        return new ClientOidcSettings(alg == null || alg.equals(now.idTokenAlgOrDefault()) ? null : alg,
                auth == null || auth == now.authMethod() ? null : auth, null, jwksUri == null || jwksUri.equals(now.jwksUri()) ? null : jwksUri);
    }

    private static List<String> words(String text) { return text == null ? List.of() : List.of(text.split("\\s+")); }

    private static Duration duration(ConsoleCall call, String name) {
        String text = call.field(name, false);
        if (text == null) return null;
        try {
            Duration d = Durations.parse(text);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("not positive");
            return d;
        } catch (RuntimeException e) {
            throw Failure.invalidRequest(name, name.replace('_', ' ') + " must be a duration such as 15m, 1h or 30d");
        }
    }

    private static String format(Duration d) { return d == null ? "" : Durations.format(d); }

    private static String policy(RefreshPolicy p) { return p.name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    private static RefreshPolicy policy(String text, RefreshPolicy now) {
        if (text == null) return now;
        return switch (text) {
            case "rotating" -> RefreshPolicy.ROTATING;
            case "rotating-lenient" -> RefreshPolicy.ROTATING_LENIENT;
            case "reusable" -> RefreshPolicy.REUSABLE;
            default -> throw Failure.invalidRequest("refresh_policy", "refresh policy must be rotating, rotating-lenient or reusable");
        };
    }
}
