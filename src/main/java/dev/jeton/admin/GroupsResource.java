package dev.jeton.admin;

import dev.jeton.engine.Accounts;
import dev.jeton.engine.access.RuleAdmin;
import dev.jeton.model.AccessRule;
import dev.jeton.model.Failure;
import dev.jeton.model.User;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Groups: the names users are put in (user add --group) that registry rules grant to
 * ({@code group:NAME}). A group exists while a user or a rule names it; it is changed through
 * its users and rules, so this kind is read-only.
 */
public final class GroupsResource implements AdminResource {
    private final Accounts accounts;
    private final RuleAdmin rules;

    public GroupsResource(Accounts accounts, RuleAdmin rules) {
        this.accounts = accounts;
        this.rules = rules;
    }

    @Override
    public String kind() { return "groups"; }

    @Override
    public void routes(AdminRoutes routes) {
        routes.read("", call -> call.page(List.copyOf(groups().values()), GroupWire::name, g -> g));
        routes.read("/{name}", call -> {
            GroupWire group = groups().get(call.path("name"));
            if (group == null) throw Failure.notFound("no user or rule names group '" + call.path("name") + "'");
            call.ok(group, Etags.of(group));
        });
    }

    private Map<String, GroupWire> groups() {
        Map<String, TreeSet<String>> members = new TreeMap<>();
        Map<String, TreeSet<String>> ruleIds = new TreeMap<>();
        for (User u : accounts.users()) {
            for (String g : u.groups()) members.computeIfAbsent(g, k -> new TreeSet<>()).add(u.name());
        }
        for (AccessRule r : rules.list()) {
            if (r.subjectKind() == AccessRule.SubjectKindOfRule.GROUP) {
                ruleIds.computeIfAbsent(r.subjectName(), k -> new TreeSet<>()).add(r.id());
            }
        }
        Map<String, GroupWire> out = new TreeMap<>();
        TreeSet<String> names = new TreeSet<>(members.keySet());
        names.addAll(ruleIds.keySet());
        for (String n : names) {
            out.put(n, new GroupWire(n, List.copyOf(members.getOrDefault(n, new TreeSet<>())), List.copyOf(ruleIds.getOrDefault(n, new TreeSet<>()))));
        }
        return out;
    }

    /** A group: its members (user names) and the ids of the registry rules that grant to it. */
    record GroupWire(String name, List<String> members, List<String> rules) {
    }
}
