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
        User user = users.byName(userName).orElseThrow(() -> Failure.notFound("no user named '" + userName + "'"));
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) throw Failure.invalidRequest("the expiry must be in the future");
        Secret secret = random.secret(PREFIX);
        ApiKey key = new ApiKey(random.id(), user.id(), name, scopes, now, expiresAt, null);
        keys.add(key, SecretHash.of(secret));
        return new NewApiKey(key, user.name(), secret);
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
