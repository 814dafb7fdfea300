package dev.jeton.engine.registry;

import dev.jeton.model.Client;
import dev.jeton.model.User;
import dev.jeton.secrets.SecretHash;

import java.util.HexFormat;

/**
 * What a login's identity token is bound to: a digest of the principal's stored credential (the
 * password's Argon2id hash, whose salt is new with every password set, or the app secret's
 * hash). Setting a password, even to the same one, or rotating a secret changes it. The digest
 * is of the stored hash, never of the secret, and cannot be checked against a guessed password.
 */
final class Credentials {
    private Credentials() {
    }

    /** Null for a user without a password (provisioned by a trusted issuer): nothing to bind to. */
    static String of(User user) {
        return user.passwordHash() == null ? null : digest("user:" + user.passwordHash());
    }

    static String of(Client app) {
        return app.secretHash() == null ? null : digest("app:" + HexFormat.of().formatHex(app.secretHash()));
    }

    private static String digest(String stored) {
        return HexFormat.of().formatHex(SecretHash.of(stored));
    }
}
