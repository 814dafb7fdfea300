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
import java.util.function.Supplier;

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
        if (!accounts.empty()) return Optional.empty();
        Secret adminPassword = random.secret();
        accounts.addUser(ADMIN, adminPassword, List.of("admins"));
        NewClient demo = accounts.addClient(new ClientSpec(DEMO_CLIENT,
                Set.of(GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD, GrantType.REFRESH_TOKEN),
                Set.of("openid", "profile", "read", "write"), List.of(), List.of(), null, null, RefreshPolicy.ROTATING, false));
        return Optional.of(new Credentials(ADMIN, adminPassword, DEMO_CLIENT, demo.secret()));
    }

    /**
     * The first start of a container or service: an admin with the operator's password when one
     * is given, and no demo client. Returns the user made, empty when the store already has users
     * or clients, or when no password was given (the operator adds users with the CLI).
     */
    public Optional<String> seedHeadlessIfEmpty(Supplier<Optional<Secret>> adminPassword) {
        if (!accounts.empty()) return Optional.empty();
        Optional<Secret> password = adminPassword.get(); // read only now: a later start needs no file
        if (password.isEmpty()) return Optional.empty();
        accounts.addUser(ADMIN, password.get(), List.of("admins"));
        return Optional.of(ADMIN);
    }

    public record Credentials(String adminUser, Secret adminPassword, String demoClientId, Secret demoClientSecret) {
    }
}
