package dev.jeton.engine;

import dev.jeton.model.ApiKey;
import dev.jeton.model.Failure;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.ApiKeyStore;
import dev.jeton.store.UserStore;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Administration of API keys: created for a user, shown once, listed, revoked. */
public final class ApiKeys {
    public static final String PREFIX = "sk-occam-";

    private final ApiKeyStore keys;
    private final UserStore users;
    private final RandomTokens random;
    private final Clock clock;

    public ApiKeys(ApiKeyStore keys, UserStore users, RandomTokens random, Clock clock) {
        this.keys = keys;
        this.users = users;
        this.random = random;
        this.clock = clock;
    }

    public NewApiKey create(String userName, String name, Set<String> scopes, Instant expiresAt) {
        return create(userName, name, scopes, expiresAt, null);
    }

    /**
     * {@code chosen}: the key's value when the operator chose it (apply's {@code secretFile}), at
     * least {@value #MIN_CHOSEN_LENGTH} characters; null generates one. A user's active keys have
     * distinct names, so that a configuration file can name each one.
     */
    public NewApiKey create(String userName, String name, Set<String> scopes, Instant expiresAt, Secret chosen) {
        User user = users.byName(userName).orElseThrow(() -> Failure.notFound("no user named '" + userName + "'"));
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) throw Failure.invalidRequest("the expiry must be in the future");
        if (name != null && active(user, name).isPresent()) {
            throw Failure.invalidRequest("user " + user.name() + " already has an active API key named '" + name + "'");
        }
        if (chosen != null) requireStrong(chosen);
        Secret secret = chosen != null ? chosen : random.secret(PREFIX);
        ApiKey key = new ApiKey(random.id(), user.id(), name, scopes, now, expiresAt, null);
        keys.add(key, SecretHash.of(secret));
        return new NewApiKey(key, user.name(), secret);
    }

    /** The shortest value an operator may choose for a key (as for a client secret). */
    public static final int MIN_CHOSEN_LENGTH = 32;

    private static void requireStrong(Secret secret) {
        if (secret.value().length() < MIN_CHOSEN_LENGTH) {
            throw Failure.invalidRequest("an API key must be at least " + MIN_CHOSEN_LENGTH + " characters (try: echo " + PREFIX
                    + "$(openssl rand -hex 32))");
        }
    }

    /** Sets an active key's scopes and expiry (null: never expires). */
    public ApiKey update(String id, Set<String> scopes, Instant expiresAt) {
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) throw Failure.invalidRequest("the expiry must be in the future");
        if (!keys.update(id, scopes, expiresAt)) throw Failure.notFound("no active API key with id '" + id + "'");
        return keys.list(null).stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow();
    }

    /** Gives an active key the value the operator chose; the old value stops working at once. */
    public void setSecret(String id, Secret secret) {
        requireStrong(secret);
        if (!keys.setHash(id, SecretHash.of(secret))) throw Failure.notFound("no active API key with id '" + id + "'");
    }

    /** Whether {@code secret} is the value of the key {@code id} (by its hash; the value itself is not stored). */
    public boolean secretIs(String id, Secret secret) {
        return keys.byHash(SecretHash.of(secret)).filter(k -> k.id().equals(id)).isPresent();
    }

    /**
     * The user's usable key of that name; a key made without a name is known by its id. Revoked and
     * expired keys are history, not configuration.
     */
    public Optional<ApiKey> active(String userName, String name) {
        return users.byName(userName).flatMap(user -> active(user, name));
    }

    private Optional<ApiKey> active(User user, String name) {
        Instant now = clock.instant();
        return keys.list(user.id()).stream().filter(k -> k.usableAt(now) && name.equals(nameOf(k))).findFirst();
    }

    /** Every usable key with its owner's name, as a configuration file names them. */
    public List<Owned> usable() {
        Instant now = clock.instant();
        return keys.list(null).stream().filter(k -> k.usableAt(now))
                .flatMap(k -> users.byId(k.userId()).map(u -> new Owned(k, u.name())).stream()).toList();
    }

    /** A key's name as a configuration file knows it: its name, or its id when it was made without one. */
    public static String nameOf(ApiKey key) { return key.name() != null ? key.name() : key.id(); }

    /** A key and its owner's user name. */
    public record Owned(ApiKey key, String userName) {
    }

    /** Every key, or the keys of one user. */
    public List<ApiKey> list(String userName) {
        if (userName == null) return keys.list(null);
        User user = users.byName(userName).orElseThrow(() -> Failure.notFound("no user named '" + userName + "'"));
        return keys.list(user.id());
    }

    public void revoke(String id) {
        if (!keys.revoke(id, clock.instant())) throw Failure.notFound("no active API key with id '" + id + "'");
    }

    /** A new key; {@code secret} is its value, shown once. */
    public record NewApiKey(ApiKey key, String userName, Secret secret) {
    }
}
