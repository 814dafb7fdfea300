package dev.jeton.admin.console;

import dev.jeton.admin.Caller;
import dev.jeton.model.User;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a console user may do, from their groups, read on every request: {@code jeton-admins}
 * gets {@code jeton:admin} (everything), {@code jeton-readers} gets {@code jeton:admin:read}.
 * The same scopes as the admin API's tokens, checked by the same {@link Caller}.
 */
final class ConsoleRights {
    static final String ADMINS = "jeton-admins";
    static final String READERS = "jeton-readers";

    private ConsoleRights() {
    }

    static Caller of(User user) {
        Set<String> scopes = new LinkedHashSet<>();
        if (!user.disabled()) {
            if (user.groups().contains(ADMINS)) scopes.add(Caller.ADMIN);
            if (user.groups().contains(READERS)) scopes.add(Caller.READ);
        }
        return new Caller(user.name(), Set.copyOf(scopes));
    }
}
