package dev.jeton.admin.console;

import dev.jeton.engine.upstream.UpstreamAdmin;
import dev.jeton.model.Secret;
import dev.jeton.model.Upstream;
import io.helidon.http.Method;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.jeton.admin.console.Html.esc;
import static dev.jeton.admin.console.Html.seg;

/**
 * Upstream sign-in providers: the list (never the client secret), adding one (the secret typed
 * into a password field, sealed by the engine before it is stored), and removing one.
 */
final class UpstreamPages implements ConsolePages {
    private static final String KIND = "upstreams";
    /** Made on first use, as the admin API's: it needs the master key. */
    private final Supplier<UpstreamAdmin> upstreams;
    private final String redirectUri;

    UpstreamPages(Supplier<UpstreamAdmin> upstreams, String redirectUri) {
        this.upstreams = upstreams;
        this.redirectUri = redirectUri;
    }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/upstreams", this::list);
        routes.add(Method.POST, "/upstreams", call -> {
            String domains = call.field("allowed_domains", false);
            call.changes(KIND).addUpstream(new UpstreamAdmin.Draft(call.field("name", true), call.field("issuer", true),
                    call.field("client_id", true), new Secret(call.field("client_secret", true)), call.field("user_claim", false),
                    call.field("groups_claim", false), domains == null ? List.of() : List.of(domains.split("[\\s,]+")), call.field("scope", false)));
            call.seeOther("/console/upstreams");
        });
        routes.add(Method.POST, "/upstreams/{name}/delete", call -> {
            call.changes(KIND).removeUpstream(call.path("name"));
            call.seeOther("/console/upstreams");
        });
    }

    private void list(ConsoleCall call) {
        call.mayRead(KIND);
        boolean change = call.mayChange(KIND);
        List<List<String>> rows = new ArrayList<>();
        for (Upstream u : upstreams.get().list()) {
            String remove = !change ? "" : """
                    <form class="inline" method="post" action="/console/upstreams/%s/delete">%s<button type="submit" aria-label="Remove upstream %s">Remove</button></form>"""
                    .formatted(seg(u.name()), Html.csrf(call.session()), esc(u.name()));
            rows.add(List.of(esc(u.name()), esc(u.issuer()), esc(u.clientId()), esc(u.userClaim()), esc(u.groupsClaim()),
                    esc(String.join(" ", u.allowedDomains())), remove));
        }
        String form = !change ? "" : """
                <form class="card" method="post" action="/console/upstreams"><h2>Add an upstream provider</h2>%s
                <p>Register <code>%s</code> as the redirect URI at the provider.</p>%s%s%s
                <label for="client_secret">Client secret</label><input id="client_secret" name="client_secret" type="password" autocomplete="off" required>
                %s%s%s%s<button type="submit">Add upstream</button></form>""".formatted(Html.csrf(call.session()), esc(redirectUri),
                Html.field("name", "Name", null, true), Html.field("issuer", "Issuer (https URL)", null, true),
                Html.field("client_id", "Client ID at the provider", null, true),
                Html.field("user_claim", "User name claim (empty: the default)", null, false),
                Html.field("groups_claim", "Groups claim (empty: none)", null, false),
                Html.field("allowed_domains", "Allowed email domains (space-separated; empty: any)", null, false),
                Html.field("scope", "Scope (empty: the default)", null, false));
        call.page("Upstream providers", "<h1>Upstream providers</h1>" + Html.table("Identity providers users may sign in with",
                List.of("Name", "Issuer", "Client ID", "User claim", "Groups claim", "Allowed domains", "Actions"), rows) + form);
    }
}
