package dev.jeton.admin.console;

import dev.jeton.audit.AuditReader;
import dev.jeton.engine.Accounts;
import dev.jeton.engine.access.RuleAdmin;
import dev.jeton.engine.imds.ManagedIdentities;
import dev.jeton.model.AccessRule;
import dev.jeton.model.AccessRule.SubjectKindOfRule;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.User;
import io.helidon.http.Method;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static dev.jeton.admin.console.Html.esc;

/**
 * A page per principal (user, client, managed identity) showing what it may do: the registry
 * rules that name it (or its groups, or anyone), its scopes and groups, the identities it
 * stands for, and the tokens it was recently issued (from the audit log).
 */
final class PrincipalPages implements ConsolePages {
    private static final int RECENT = 20;
    private final Accounts accounts;
    private final RuleAdmin rules;
    private final ManagedIdentities identities;
    private final AuditPages audit;

    PrincipalPages(Accounts accounts, RuleAdmin rules, ManagedIdentities identities, AuditPages audit) {
        this.accounts = accounts;
        this.rules = rules;
        this.identities = identities;
        this.audit = audit;
    }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/principals/users/{name}", call -> {
            call.mayRead("users");
            User u = accounts.user(call.path("name")).orElseThrow(() -> Failure.notFound("no user named '" + call.path("name") + "'"));
            String facts = dl(List.of("Name", u.name(), "Id", u.id(), "State", u.disabled() ? "disabled" : "active",
                    "Groups", u.groups().isEmpty() ? "none" : String.join(", ", u.groups()),
                    "Console rights", String.join(" ", ConsoleRights.of(u).scopes().stream().sorted().toList())));
            Predicate<AccessRule> mine = r -> r.subjectKind() == SubjectKindOfRule.ANONYMOUS
                    || r.subjectKind() == SubjectKindOfRule.USER && r.subjectName().equals(u.name())
                    || r.subjectKind() == SubjectKindOfRule.GROUP && u.groups().contains(r.subjectName());
            String groups = !call.mayChange("users") ? "" : """
                    <form class="card" method="post" action="/console/users/%s/groups"><h2>Groups</h2>%s%s%s
                    <button type="submit">Save groups</button></form>""".formatted(Html.seg(u.name()), Html.csrf(call.session()),
                    Html.version(dev.jeton.admin.Versions.of(u)), Html.field("groups", "Groups (comma-separated; jeton-admins and jeton-readers open the console)",
                            String.join(", ", u.groups()), false));
            call.page("User " + u.name(), "<h1>User " + esc(u.name()) + "</h1>" + facts + groups + rules(mine)
                    + "<h2>Identities</h2><p>A user acts as themself; managed identities are held by nodes, not users.</p>"
                    + tokens(call, new AuditReader.Filter(u.name(), null, "issued", null)));
        });
        routes.add(Method.GET, "/principals/clients/{id}", call -> {
            call.mayRead("clients");
            Client c = accounts.client(call.path("id")).orElseThrow(() -> Failure.notFound("no client '" + call.path("id") + "'"));
            String facts = dl(List.of("Client ID", c.clientId(), "Type", c.isPublic() ? "public" : "confidential",
                    "State", c.disabled() ? "disabled" : "active",
                    "Grants", String.join(" ", c.grantTypes().stream().map(GrantType::wireName).sorted().toList()),
                    "Scopes it may ask for", c.scopes().isEmpty() ? "none" : String.join(" ", c.scopes().stream().sorted().toList()),
                    "Redirect URIs", c.redirectUris().isEmpty() ? "none" : String.join(" ", c.redirectUris()),
                    "Previous secret works until", accounts.previousSecretExpiry(c.clientId()).map(Object::toString).orElse("-")));
            Predicate<AccessRule> mine = r -> r.subjectKind() == SubjectKindOfRule.ANONYMOUS
                    || r.subjectKind() == SubjectKindOfRule.APP && r.subjectName().equals(c.clientId());
            call.page("Client " + c.clientId(), "<h1>Client " + esc(c.clientId()) + "</h1>" + facts + rules(mine)
                    + tokens(call, new AuditReader.Filter(null, c.clientId(), "issued", null)));
        });
        routes.add(Method.GET, "/principals/identities/{name}", call -> {
            call.mayRead("identities");
            ManagedIdentity i = identities.list().stream().filter(m -> m.name().equals(call.path("name"))).findFirst()
                    .orElseThrow(() -> Failure.notFound("no managed identity named '" + call.path("name") + "'"));
            String facts = dl(List.of("Name", i.name(), "Client ID", i.clientId(), "Object ID", i.objectId(), "Resource ID",
                    i.resourceId(), "Nodes", i.systemAssigned() ? "system-assigned on " + i.systemNode()
                            : i.nodes().isEmpty() ? "none" : String.join(", ", i.nodes())));
            Predicate<AccessRule> mine = r -> r.subjectKind() == SubjectKindOfRule.ANONYMOUS
                    || r.subjectKind() == SubjectKindOfRule.IDENTITY && r.subjectName().equals(i.name());
            call.page("Identity " + i.name(), "<h1>Managed identity " + esc(i.name()) + "</h1>" + facts + rules(mine)
                    + tokens(call, new AuditReader.Filter(i.objectId(), null, "issued", null)));
        });
    }

    private String rules(Predicate<AccessRule> applies) {
        List<List<String>> rows = new ArrayList<>();
        for (AccessRule r : rules.list()) {
            if (applies.test(r)) rows.add(List.of(esc(r.subject()), esc(r.repositoryPattern()), esc(String.join(", ", r.actions()))));
        }
        return "<h2>Registry rules</h2>" + Html.table("Rules that apply (to it, its groups, or anyone)", List.of("Rule subject", "Repositories", "Actions"), rows);
    }

    private String tokens(ConsoleCall call, AuditReader.Filter filter) {
        return "<h2>Recent tokens</h2>" + audit.tokens(filter, RECENT, call);
    }

    /** A definition list of label/value pairs. */
    private static String dl(List<String> pairs) {
        StringBuilder out = new StringBuilder("<section class=\"card\"><dl>");
        for (int i = 0; i < pairs.size(); i += 2) {
            out.append("<dt>").append(esc(pairs.get(i))).append("</dt><dd>").append(esc(pairs.get(i + 1))).append("</dd>");
        }
        return out.append("</dl></section>").toString();
    }
}
