package dev.jeton.admin.console;

import dev.jeton.admin.Versions;
import dev.jeton.engine.Accounts;
import dev.jeton.engine.AdminChanges;
import dev.jeton.model.Failure;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import io.helidon.http.Method;

import java.util.ArrayList;
import java.util.List;

import static dev.jeton.admin.console.Html.esc;
import static dev.jeton.admin.console.Html.seg;

/** Users: the list, a form to add one (a generated password is shown once), disable/enable, and a user's groups (its form is on the user's page). */
final class UserPages implements ConsolePages {
    private static final String KIND = "users";
    private final Accounts accounts;
    private final RandomTokens random = new RandomTokens();

    UserPages(Accounts accounts) { this.accounts = accounts; }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/users", this::list);
        routes.add(Method.POST, "/users", call -> {
            String name = call.field("name", true);
            String groups = call.field("groups", false);
            Secret password = random.secret();
            User user = call.changes(KIND).addUser(name, password, groups == null ? List.of() : List.of(groups.split("[\\s,]+")));
            call.page("User " + user.name() + " added", "<h1>User " + esc(user.name()) + " added</h1>"
                    + "<p>Give them this password, shown this once; they can be given a new one with <code>jeton user passwd</code>.</p>"
                    + "<p><label for=\"password\">Password</label><output id=\"password\" class=\"secret\">" + esc(password.value()) + "</output></p>"
                    + "<p>" + Html.link("/console/users", "All users") + "</p>");
        });
        routes.add(Method.POST, "/users/{name}/disabled", call -> {
            AdminChanges changes = call.changes(KIND);
            String name = call.path("name");
            User user = find(name);
            String value = call.field("disabled", true);
            if (!value.equals("true") && !value.equals("false")) throw Failure.invalidRequest("disabled", "disabled must be true or false");
            call.requireVersion("User " + name, Versions.of(user), "/console/users");
            changes.setUserDisabled(name, Boolean.parseBoolean(value));
            call.seeOther("/console/users");
        });
        routes.add(Method.POST, "/users/{name}/groups", call -> {
            AdminChanges changes = call.changes(KIND);
            String name = call.path("name");
            User user = find(name);
            String groups = call.field("groups", false);
            String page = "/console/principals/users/" + seg(name);
            call.requireVersion("User " + name, Versions.of(user), page);
            changes.setUserGroups(name, groups == null ? List.of() : List.of(groups.split("[\\s,]+")));
            call.seeOther(page);
        });
    }

    private void list(ConsoleCall call) {
        call.mayRead(KIND);
        boolean change = call.mayChange(KIND);
        List<List<String>> rows = new ArrayList<>();
        for (User u : accounts.users()) {
            String toggle = !change ? "" : """
                    <form class="inline" method="post" action="/console/users/%s/disabled">%s%s<input type="hidden" name="disabled" value="%s">
                    <button type="submit">%s</button></form>""".formatted(seg(u.name()), Html.csrf(call.session()), Html.version(Versions.of(u)), !u.disabled(),
                    u.disabled() ? "Enable " + esc(u.name()) : "Disable " + esc(u.name()));
            rows.add(List.of(Html.link("/console/principals/users/" + seg(u.name()), u.name()), esc(String.join(", ", u.groups())),
                    u.disabled() ? "disabled" : "active", toggle));
        }
        String form = !change ? "" : """
                <form class="card" method="post" action="/console/users"><h2>Add a user</h2>%s%s%s
                <button type="submit">Add user</button></form>""".formatted(Html.csrf(call.session()),
                Html.field("name", "Name", null, true), Html.field("groups", "Groups (comma-separated)", null, false));
        call.page("Users", "<h1>Users</h1>" + Html.table("Users who sign in with a password", List.of("User", "Groups", "State", "Actions"), rows) + form);
    }

    private User find(String name) {
        return accounts.user(name).orElseThrow(() -> Failure.notFound("no user named '" + name + "'"));
    }
}
