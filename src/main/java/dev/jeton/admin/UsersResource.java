package dev.jeton.admin;

import dev.jeton.engine.Accounts;
import dev.jeton.model.Failure;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import io.helidon.http.Method;

import java.util.List;

/** Users who log in with a password: list, add, show, and PATCH (disable, enable, new password, group membership). */
public final class UsersResource implements AdminResource {
    private final Accounts accounts;
    private final RandomTokens random = new RandomTokens();

    public UsersResource(Accounts accounts) { this.accounts = accounts; }

    @Override
    public String kind() { return "users"; }

    @Override
    public void routes(AdminRoutes routes) {
        routes.read("", call -> call.page(accounts.users(), User::name, UserWire::of));
        routes.change(Method.POST, "", call -> {
            NewUserBody body = call.body(NewUserBody.class);
            Fields.required("name", body.name());
            boolean generated = body.password() == null;
            Secret password = generated ? random.secret() : new Secret(body.password());
            User user = find(call.changes().addUser(body.name(), password, Fields.orEmpty(body.groups())).name());
            call.created(routes.location(user.name()), new CreatedUser(UserWire.of(user), generated ? password.value() : null), etag(user));
        });
        routes.read("/{name}", call -> {
            User user = find(call.path("name"));
            call.ok(UserWire.of(user), etag(user));
        });
        routes.change(Method.PATCH, "/{name}", call -> {
            String name = call.path("name");
            call.requireMatch(etag(find(name)));
            UserPatch patch = call.body(UserPatch.class);
            if (patch.password() != null) call.changes().setPassword(name, new Secret(patch.password()));
            if (patch.groups() != null) call.changes().setUserGroups(name, patch.groups());
            if (patch.disabled() != null) call.changes().setUserDisabled(name, patch.disabled());
            User changed = find(name);
            call.ok(UserWire.of(changed), etag(changed));
        });
    }

    private User find(String name) {
        return accounts.user(name).orElseThrow(() -> Failure.notFound("no user named '" + name + "'"));
    }

    /** The password hash is hidden state: a new password moves the tag. */
    static String etag(User user) { return Etags.of(UserWire.of(user), user.passwordHash()); }

    record UserWire(String id, String name, List<String> groups, boolean disabled, String createdAt) {
        static UserWire of(User u) { return new UserWire(u.id(), u.name(), u.groups(), u.disabled(), u.createdAt().toString()); }
    }

    /** {@code password} absent: one is generated and answered once. */
    record NewUserBody(String name, String password, List<String> groups) {
    }

    record CreatedUser(@com.fasterxml.jackson.annotation.JsonUnwrapped UserWire user, String password) {
    }

    /** Only the fields present change. */
    record UserPatch(Boolean disabled, String password, List<String> groups) {
    }
}
