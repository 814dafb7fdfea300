package dev.jeton.engine;

import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.engine.Accounts.NewClient;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.secrets.RandomTokens;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an empty database gets on first start: an admin user and a demo client, with random
 * credentials that are returned once for printing and stored only as hashes.
 */
public final class FirstRun {
    public static final String ADMIN = "admin";
    public static final String DEMO_CLIENT = "demo";

    private final Accounts accounts;
    private final RandomTokens random;

    public FirstRun(Accounts accounts, RandomTokens random) {
        this.accounts = accounts;
        this.random = random;
    }

    /** Empty when the database already has users or clients. */
    public Optional<Credentials> seedIfEmpty() {
        if (!accounts.users().isEmpty() || !accounts.clients().isEmpty()) return Optional.empty();
        Secret adminPassword = random.secret();
        accounts.addUser(ADMIN, adminPassword, List.of("admins"));
        NewClient demo = accounts.addClient(new ClientSpec(DEMO_CLIENT,
                Set.of(GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD, GrantType.REFRESH_TOKEN),
                Set.of("openid", "profile", "read", "write"), List.of(), List.of(), null, null, RefreshPolicy.ROTATING, false));
        return Optional.of(new Credentials(ADMIN, adminPassword, DEMO_CLIENT, demo.secret()));
    }

    public record Credentials(String adminUser, Secret adminPassword, String demoClientId, Secret demoClientSecret) {
    }
}
