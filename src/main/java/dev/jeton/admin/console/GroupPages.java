package dev.jeton.admin.console;

import dev.jeton.admin.Versions;
import dev.jeton.engine.Accounts;
import dev.jeton.engine.AdminChanges;
import dev.jeton.engine.access.RuleAdmin;
import dev.jeton.model.AccessRule;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import dev.jeton.model.User;
import io.helidon.http.Method;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.jeton.admin.console.Html.esc;
import static dev.jeton.admin.console.Html.seg;

/**
 * Groups: a name that users carry and registry rules grant to ({@code group:NAME}); it exists
 * while a user or a rule names it. The list, making one with its first members, a group's page
 * (add and remove members, the rules that grant to it), and deleting one. Membership changes
 * carry the group's version, so two admins cannot silently undo each other.
 */
final class GroupPages implements ConsolePages {
    /** Groups are changed through their users: the rights of {@code users} apply. */
    private static final String KIND = "users";
    private final Accounts accounts;
    private final RuleAdmin rules;

    GroupPages(Accounts accounts, RuleAdmin rules) {
        this.accounts = accounts;
        this.rules = rules;
    }

    /** A group as it stands: its members and the rules that grant to it. */
    private record Group(String name, TreeSet<String> members, List<AccessRule> rules) {
        String version() { return Versions.ofGroup(name, members, rules.stream().map(AccessRule::id).toList()); }
    }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/groups", this::list);
        routes.add(Method.POST, "/groups", call -> {
            AdminChanges changes = call.changes(KIND);
            String name = call.field("name", true);
            Set<String> members = names(call.field("members", true));
            if (groups().containsKey(name)) {
                throw Failure.of(Reason.CONFLICT, "name", "group '" + name + "' already exists: change its members on its page").because("group.exists");
            }
            changes.setGroupMembers(name, members);
            call.seeOther("/console/groups/" + seg(name));
        });
        routes.add(Method.GET, "/groups/{name}", this::show);
        routes.add(Method.POST, "/groups/{name}/members", call -> {
            AdminChanges changes = call.changes(KIND);
            Group g = find(call.path("name"));
            String user = call.field("user", true);
            accounts.user(user).orElseThrow(() -> Failure.notFound("no user named '" + user + "'"));
            setMembers(call, changes, g, members -> members.add(user));
        });
        routes.add(Method.POST, "/groups/{name}/members/{user}/delete", call -> {
            AdminChanges changes = call.changes(KIND);
            Group g = find(call.path("name"));
            String user = call.path("user");
            if (!g.members().contains(user)) throw Failure.notFound("'" + user + "' is not a member of group '" + g.name() + "'");
            setMembers(call, changes, g, members -> members.remove(user));
        });
        routes.add(Method.POST, "/groups/{name}/delete", call -> {
            AdminChanges changes = call.changes(KIND);
            Group g = find(call.path("name"));
            call.requireVersion("Group " + g.name(), g.version(), page(g.name()));
            changes.deleteGroup(g.name());
            call.seeOther("/console/groups");
        });
    }

    private void list(ConsoleCall call) {
        call.mayRead(KIND);
        List<List<String>> rows = new ArrayList<>();
        for (Group g : groups().values()) {
            rows.add(List.of(Html.link(page(g.name()), g.name()), esc(String.join(", ", g.members())),
                    esc(String.join("; ", g.rules().stream().map(r -> r.repositoryPattern() + " " + String.join(",", r.actions())).toList()))));
        }
        String form = !call.mayChange(KIND) ? "" : """
                <form class="card" method="post" action="/console/groups"><h2>Make a group</h2>%s
                <p class="muted">A group exists while a user or a registry rule names it, so it starts with its first members.</p>%s%s
                <button type="submit">Make group</button></form>""".formatted(Html.csrf(call.session()),
                Html.field("name", "Group name", null, true), Html.field("members", "Members (user names, comma-separated)", null, true));
        call.page("Groups", "<h1>Groups</h1>" + Html.table("Groups, their members and the registry rules that grant to them",
                List.of("Group", "Members", "Registry rules"), rows) + form);
    }

    private void show(ConsoleCall call) {
        call.mayRead(KIND);
        Group g = find(call.path("name"));
        boolean change = call.mayChange(KIND);
        String v = Html.version(g.version());
        List<List<String>> members = new ArrayList<>();
        for (String m : g.members()) {
            String remove = !change ? "" : """
                    <form class="inline" method="post" action="/console/groups/%s/members/%s/delete">%s%s\
                    <button type="submit" aria-label="Remove %s from the group">Remove</button></form>"""
                    .formatted(seg(g.name()), seg(m), Html.csrf(call.session()), v, esc(m));
            members.add(List.of(Html.link("/console/principals/users/" + seg(m), m), remove));
        }
        List<List<String>> granted = new ArrayList<>();
        for (AccessRule r : g.rules()) granted.add(List.of(esc(r.repositoryPattern()), esc(String.join(", ", r.actions()))));
        String forms = !change ? "" : """
                <form class="card" method="post" action="/console/groups/%1$s/members"><h2>Add a member</h2>%2$s%3$s%4$s
                <button type="submit">Add member</button></form>
                <form class="card" method="post" action="/console/groups/%1$s/delete"><h2>Delete this group</h2>%2$s%3$s
                <p>Every member leaves it and the registry rules that grant to it are removed.</p>
                <button type="submit">Delete group %5$s</button></form>""".formatted(seg(g.name()), Html.csrf(call.session()), v,
                Html.field("user", "User name", null, true), esc(g.name()));
        call.page("Group " + g.name(), "<h1>Group " + esc(g.name()) + "</h1>"
                + "<h2>Members</h2>" + Html.table("Users in the group", List.of("User", "Actions"), members)
                + "<h2>Registry rules</h2>" + Html.table("Rules that grant to group:" + g.name(), List.of("Repositories", "Actions"), granted)
                + forms + "<p>" + Html.link("/console/groups", "All groups") + "</p>");
    }

    /** The group's members after {@code edit}, if the form's version is still the group's. */
    private static void setMembers(ConsoleCall call, AdminChanges changes, Group g, java.util.function.Consumer<Set<String>> edit) {
        call.requireVersion("Group " + g.name(), g.version(), page(g.name()));
        Set<String> members = new LinkedHashSet<>(g.members());
        edit.accept(members);
        changes.setGroupMembers(g.name(), members);
        call.seeOther(page(g.name()));
    }

    private static String page(String name) { return "/console/groups/" + seg(name); }

    private Group find(String name) {
        Group g = groups().get(name);
        if (g == null) throw Failure.notFound("no user or rule names group '" + name + "'");
        return g;
    }

    private Map<String, Group> groups() {
        Map<String, Group> out = new TreeMap<>();
        for (User u : accounts.users()) {
            for (String g : u.groups()) out.computeIfAbsent(g, n -> new Group(n, new TreeSet<>(), new ArrayList<>())).members().add(u.name());
        }
        for (AccessRule r : rules.list()) {
            if (r.subjectKind() == AccessRule.SubjectKindOfRule.GROUP) {
                out.computeIfAbsent(r.subjectName(), n -> new Group(n, new TreeSet<>(), new ArrayList<>())).rules().add(r);
            }
        }
        return out;
    }

    private static Set<String> names(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : text.split("[\\s,]+")) if (!n.isEmpty()) out.add(n);
        return out;
    }
}
