package dev.jeton.admin.console;

import dev.jeton.engine.access.RuleAdmin;
import dev.jeton.model.AccessRule;
import io.helidon.http.Method;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.jeton.admin.console.Html.esc;
import static dev.jeton.admin.console.Html.seg;

/** Registry rules: the list, a form to add one (subject, repository glob, actions), and removing one. */
final class RulePages implements ConsolePages {
    private static final String KIND = "rules";
    private final RuleAdmin rules;

    RulePages(RuleAdmin rules) { this.rules = rules; }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/rules", this::list);
        routes.add(Method.POST, "/rules", call -> {
            String subject = call.field("subject", true);
            String repository = call.field("repository", true);
            Set<String> actions = new LinkedHashSet<>(List.of(call.field("actions", true).split("[\\s,]+")));
            call.changes(KIND).addRule(subject, repository, actions);
            call.seeOther("/console/rules");
        });
        routes.add(Method.POST, "/rules/{id}/delete", call -> {
            call.changes(KIND).deleteRule(call.path("id"));
            call.seeOther("/console/rules");
        });
    }

    private void list(ConsoleCall call) {
        call.mayRead(KIND);
        boolean change = call.mayChange(KIND);
        List<List<String>> rows = new ArrayList<>();
        for (AccessRule r : rules.list()) {
            String remove = !change ? "" : """
                    <form class="inline" method="post" action="/console/rules/%s/delete">%s<button type="submit" aria-label="Remove rule %s">Remove</button></form>"""
                    .formatted(seg(r.id()), Html.csrf(call.session()), esc(r.id()));
            rows.add(List.of(esc(r.id()), esc(r.subject()), esc(r.repositoryPattern()), esc(String.join(" ", r.actions())), remove));
        }
        String form = !change ? "" : """
                <form class="card" method="post" action="/console/rules"><h2>Add a rule</h2>%s%s%s%s
                <button type="submit">Add rule</button></form>""".formatted(Html.csrf(call.session()),
                Html.field("subject", "Subject (user:NAME, app:NAME, group:NAME, identity:NAME or anonymous)", null, true),
                Html.field("repository", "Repository (glob: * any characters, ? one)", null, true),
                Html.field("actions", "Actions (space-separated: pull push delete)", null, true));
        call.page("Registry rules", "<h1>Registry rules</h1>"
                + Html.table("Who may pull or push which repositories", List.of("ID", "Subject", "Repository", "Actions", "Actions on the rule"), rows) + form);
    }
}
