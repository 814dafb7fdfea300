package dev.jeton.engine;

import dev.jeton.engine.code.LoginThrottle;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.secrets.PasswordHasher;
import dev.jeton.store.UserStore;

import java.util.Optional;

/**
 * Checks a user's name and password: one Argon2id verification whether or not the user exists.
 * Every password check in Jeton comes here, so failed logins are throttled on every path alike.
 */
public final class UserAuthenticator {
    private static final System.Logger LOG = System.getLogger(UserAuthenticator.class.getName());

    private final UserStore users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;

    public UserAuthenticator(UserStore users, PasswordHasher hasher, LoginThrottle throttle) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
    }

    /** @param source the caller's address, for throttling per address (null when there is none, as in the CLI) */
    public User authenticate(String username, Secret password, String source) {
        throttle.check(username, source);
        Optional<User> found = users.byName(username);
        boolean matches = hasher.verify(password, found.map(User::passwordHash).orElse(null));
        if (found.isEmpty() || !matches) {
            LOG.log(System.Logger.Level.INFO, "password login failed ({0})", found.isEmpty() ? "unknown user" : "wrong password");
            throttle.failed(username, source);
            throw badCredentials().because(found.isEmpty() ? "user.unknown" : "user.password_mismatch");
        }
        if (found.get().disabled()) {
            LOG.log(System.Logger.Level.INFO, "disabled user {0} tried to log in", found.get().id());
            throttle.failed(username, source);
            throw badCredentials().because("user.disabled");
        }
        throttle.succeeded(username);
        return found.get();
    }

    private static Failure badCredentials() {
        return Failure.of(Reason.INVALID_GRANT, Failure.Code.BAD_CREDENTIALS, "invalid username or password");
    }
}
