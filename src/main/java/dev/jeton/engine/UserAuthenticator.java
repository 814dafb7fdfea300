package dev.jeton.engine;

import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.secrets.PasswordHasher;
import dev.jeton.store.UserStore;

import java.util.Optional;

/** Checks a user's name and password: one Argon2id verification whether or not the user exists. */
public final class UserAuthenticator {
    private static final System.Logger LOG = System.getLogger(UserAuthenticator.class.getName());

    private final UserStore users;
    private final PasswordHasher hasher;

    public UserAuthenticator(UserStore users, PasswordHasher hasher) {
        this.users = users;
        this.hasher = hasher;
    }

    public User authenticate(String username, Secret password) {
        Optional<User> found = users.byName(username);
        boolean matches = hasher.verify(password, found.map(User::passwordHash).orElse(null));
        if (found.isEmpty() || !matches) {
            LOG.log(System.Logger.Level.INFO, "password login failed ({0})", found.isEmpty() ? "unknown user" : "wrong password");
            throw badCredentials().because(found.isEmpty() ? "user.unknown" : "user.password_mismatch");
        }
        if (found.get().disabled()) {
            LOG.log(System.Logger.Level.INFO, "disabled user {0} tried to log in", found.get().id());
            throw badCredentials().because("user.disabled");
        }
        return found.get();
    }

    private static Failure badCredentials() {
        return Failure.of(Reason.INVALID_GRANT, Failure.Code.BAD_CREDENTIALS, "invalid username or password");
    }
}
