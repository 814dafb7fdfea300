package dev.jeton.admin;

import dev.jeton.engine.access.RuleAdmin;
import dev.jeton.model.AccessRule;
import dev.jeton.model.Failure;
import io.helidon.http.Method;

import java.util.LinkedHashSet;
import java.util.List;

/** Registry access rules: who may pull, push or delete which repositories. List, add, show, delete. */
public final class RulesResource implements AdminResource {
    private final RuleAdmin rules;

    public RulesResource(RuleAdmin rules) { this.rules = rules; }

    @Override
    public String kind() { return "rules"; }

    @Override
    public void routes(AdminRoutes routes) {
        routes.read("", call -> call.page(rules.list(), AccessRule::id, RuleWire::of));
        routes.change(Method.POST, "", call -> {
            NewRuleBody body = call.body(NewRuleBody.class);
            Fields.required("subject", body.subject());
            Fields.required("repository", body.repository());
            if (body.actions() == null || body.actions().isEmpty()) throw Failure.invalidRequest("actions", "field 'actions' is required");
            RuleWire wire = RuleWire.of(find(call.changes().addRule(body.subject(), body.repository(), new LinkedHashSet<>(body.actions())).id()));
            call.created(routes.location(wire.id()), wire, Etags.of(wire));
        });
        routes.read("/{id}", call -> {
            RuleWire wire = RuleWire.of(find(call.path("id")));
            call.ok(wire, Etags.of(wire));
        });
        routes.change(Method.DELETE, "/{id}", call -> {
            call.requireMatch(Etags.of(RuleWire.of(find(call.path("id")))));
            call.changes().deleteRule(call.path("id"));
            call.noContent();
        });
    }

    private AccessRule find(String id) {
        return rules.list().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> Failure.notFound("no rule with id '" + id + "'"));
    }

    /** {@code subject} as the CLI writes it: user:NAME, app:NAME, group:NAME, identity:NAME or anonymous. */
    record RuleWire(String id, String subject, String repository, List<String> actions, String createdAt) {
        static RuleWire of(AccessRule r) {
            return new RuleWire(r.id(), r.subject(), r.repositoryPattern(), List.copyOf(r.actions()), r.createdAt().toString());
        }
    }

    record NewRuleBody(String subject, String repository, List<String> actions) {
    }
}
