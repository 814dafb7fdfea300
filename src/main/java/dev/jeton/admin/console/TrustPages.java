package dev.jeton.admin.console;

import dev.jeton.config.Durations;
import dev.jeton.engine.federation.TrustAdmin;
import dev.jeton.model.Failure;
import dev.jeton.model.TrustPolicy;
import io.helidon.http.Method;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.jeton.admin.console.Html.esc;
import static dev.jeton.admin.console.Html.seg;

/** Trust policies (workload identity federation): the list, adding one, and removing one. */
final class TrustPages implements ConsolePages {
    private static final String KIND = "trust-policies";
    /** Made on first use, as the admin API's: federation starts only when someone asks for it. */
    private final Supplier<TrustAdmin> trust;

    TrustPages(Supplier<TrustAdmin> trust) { this.trust = trust; }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/trust-policies", this::list);
        routes.add(Method.POST, "/trust-policies", call -> {
            String claims = call.field("claims", false);
            String maxTtl = call.field("max_ttl", false);
            call.changes(KIND).addTrustPolicy(new TrustAdmin.Draft(call.field("name", true), call.field("issuer", true),
                    call.field("audience", true), call.field("subject", true), claims == null ? List.of() : List.of(claims.split("\\s+")),
                    call.field("as", true), maxTtl == null ? null : duration(maxTtl), call.field("jwks_file", false)));
            call.seeOther("/console/trust-policies");
        });
        routes.add(Method.POST, "/trust-policies/{name}/delete", call -> {
            call.changes(KIND).removeTrustPolicy(call.path("name"));
            call.seeOther("/console/trust-policies");
        });
    }

    private void list(ConsoleCall call) {
        call.mayRead(KIND);
        boolean change = call.mayChange(KIND);
        List<List<String>> rows = new ArrayList<>();
        for (TrustPolicy p : trust.get().list()) {
            String remove = !change ? "" : """
                    <form class="inline" method="post" action="/console/trust-policies/%s/delete">%s<button type="submit" aria-label="Remove trust policy %s">Remove</button></form>"""
                    .formatted(seg(p.name()), Html.csrf(call.session()), esc(p.name()));
            StringBuilder claims = new StringBuilder();
            p.claims().forEach((k, v) -> claims.append(claims.isEmpty() ? "" : " ").append(k).append('=').append(v));
            rows.add(List.of(esc(p.name()), esc(p.issuer()), esc(p.audience()), esc(p.subject()), esc(claims.toString()),
                    esc(p.as().toString()), esc(Durations.format(p.maxTtl())), remove));
        }
        String form = !change ? "" : """
                <form class="card" method="post" action="/console/trust-policies"><h2>Add a trust policy</h2>%s%s%s%s%s%s%s%s%s
                <button type="submit">Add trust policy</button></form>""".formatted(Html.csrf(call.session()),
                Html.field("name", "Name", null, true), Html.field("issuer", "Issuer (https URL)", null, true),
                Html.field("audience", "Audience", null, true), Html.field("subject", "Subject (exact or glob with *)", null, true),
                Html.field("claims", "Other claims (space-separated CLAIM=VALUE)", null, false),
                Html.field("as", "Speaks for (user:NAME, app:NAME or identity:NAME)", null, true),
                Html.field("max_ttl", "Longest lifetime (such as 1h; empty: 1h)", null, false),
                Html.field("jwks_file", "Issuer's keys file (empty: discover)", null, false));
        call.page("Trust policies", "<h1>Trust policies</h1>" + Html.table("Workload tokens Jeton trusts, and as whom",
                List.of("Name", "Issuer", "Audience", "Subject", "Claims", "As", "Longest lifetime", "Actions"), rows) + form);
    }

    private static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (RuntimeException e) {
            throw Failure.invalidRequest("max_ttl", "longest lifetime must be a duration such as 30m or 1h");
        }
    }
}
