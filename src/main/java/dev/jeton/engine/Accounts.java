package dev.jeton.engine;

import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.Reason;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.secrets.PasswordHasher;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.ClientStore;
import dev.jeton.store.SessionStore;
import dev.jeton.store.UserStore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Administration of users and clients: what the CLI (and later the admin API) calls. */
public final class Accounts {
    private final UserStore users;
    private final ClientStore clients;
    private final ClientDirectory directory;
    private final PasswordHasher hasher;
    private final RandomTokens random;
    private final Clock clock;
    private final SessionStore sessions;

    public Accounts(UserStore users, ClientStore clients, ClientDirectory directory, PasswordHasher hasher, RandomTokens random,
                    Clock clock, SessionStore sessions) {
        this.sessions = sessions;
        this.users = users;
        this.clients = clients;
        this.directory = directory;
        this.hasher = hasher;
        this.random = random;
        this.clock = clock;
    }

    public User addUser(String name, Secret password, List<String> groups) {
        requireName(name, "user name");
        requirePassword(password);
        User user = new User(random.uuid(), name, hasher.hash(password), false, groups, clock.instant());
        users.add(user);
        return user;
    }

    public List<User> users() { return users.list(); }

    /** No user and no client yet: a first start. Reads one row of each table at most, never the tables. */
    public boolean empty() { return !users.any() && !clients.any(); }

    public void setPassword(String name, Secret password) {
        requirePassword(password);
        if (!users.setPasswordHash(name, hasher.hash(password))) throw Failure.notFound("no user named '" + name + "'");
        endLoginSessions(name);
    }

    /** Replaces the user's groups; tokens already issued keep the groups they were issued with until they expire. */
    public void setUserGroups(String name, List<String> groups) {
        List<String> distinct = groups.stream().map(String::trim).distinct().toList();
        if (distinct.stream().anyMatch(String::isEmpty)) throw Failure.invalidRequest("groups", "a group name cannot be empty");
        if (!users.setGroups(name, distinct)) throw Failure.notFound("no user named '" + name + "'");
    }

    public void setUserDisabled(String name, boolean disabled) {
        if (!users.setDisabled(name, disabled)) throw Failure.notFound("no user named '" + name + "'");
        if (disabled) endLoginSessions(name);
    }

    /** A new password or a disabled account ends the user's browser sessions (LoginSessions also checks both on each use). */
    private void endLoginSessions(String name) {
        users.byName(name).ifPresent(u -> sessions.revokeUser(u.id(), clock.instant()));
    }

    public NewClient addClient(ClientSpec spec) {
        requireName(spec.clientId(), "client id");
        if (spec.publicClient() && spec.grantTypes().contains(GrantType.CLIENT_CREDENTIALS)) {
            throw Failure.invalidRequest("a public client cannot use client_credentials: it has no secret to prove who it is");
        }
        Secret secret = spec.publicClient() ? null : random.secret();
        Client client = new Client(random.uuid(), spec.clientId(), secret == null ? null : SecretHash.of(secret),
                spec.grantTypes(), spec.scopes(),
                spec.audiences(), spec.redirectUris(), spec.accessTokenTtl(), spec.refreshTokenTtl(), spec.refreshPolicy(),
                false, clock.instant());
        clients.add(client);
        directory.invalidate();
        return new NewClient(client, secret);
    }

    public List<Client> clients() { return clients.list(); }

    /**
     * Replaces an existing client's grants, scopes, audiences, redirect URIs, lifetimes and
     * refresh policy; its secret, and whether it is public, stay (a secret cannot be conjured or
     * dropped by an update).
     */
    public void updateClient(ClientSpec spec) {
        Client now = clients.byClientId(spec.clientId()).orElseThrow(() -> Failure.notFound("no client '" + spec.clientId() + "'"));
        if (spec.publicClient() != now.isPublic()) {
            throw Failure.invalidRequest("whether a client is public cannot change: delete the client and add it again");
        }
        if (now.isPublic() && spec.grantTypes().contains(GrantType.CLIENT_CREDENTIALS)) {
            throw Failure.invalidRequest("a public client cannot use client_credentials: it has no secret to prove who it is");
        }
        Client updated = new Client(now.id(), now.clientId(), now.secretHash(), spec.grantTypes(), spec.scopes(), spec.audiences(),
                spec.redirectUris(), spec.accessTokenTtl(), spec.refreshTokenTtl(), spec.refreshPolicy(), now.disabled(), now.createdAt());
        if (!clients.updateSettings(updated)) throw Failure.notFound("no client '" + spec.clientId() + "'");
        directory.invalidate();
    }

    /**
     * Adds the client unless one with its id exists, and keeps its refresh policy as configured:
     * a dialect's built-in client is made this way. Other settings stay as the operator left them.
     */
    public void ensureClient(ClientSpec spec) {
        java.util.Optional<Client> existing = clients.byClientId(spec.clientId());
        if (existing.isPresent()) {
            if (existing.get().refreshPolicy() != spec.refreshPolicy()) {
                clients.setRefreshPolicy(spec.clientId(), spec.refreshPolicy());
                directory.invalidate();
            }
            return;
        }
        try {
            addClient(spec);
        } catch (Failure raced) {
            if (raced.reason() != Reason.CONFLICT) throw raced;
        }
    }

    /** Longest overlap a rotation may keep the old secret working: long enough for a slow roll-out, short enough to end. */
    public static final Duration MAX_SECRET_OVERLAP = Duration.ofDays(30);

    public Secret rotateClientSecret(String clientId) {
        return rotateClientSecret(clientId, Duration.ZERO);
    }

    /**
     * A new secret; the old one keeps working for {@code overlap} (zero: it stops at once), so
     * the client's deployments can move over one by one. A public client has no secret to rotate.
     */
    public Secret rotateClientSecret(String clientId, Duration overlap) {
        if (overlap == null || overlap.isNegative() || overlap.compareTo(MAX_SECRET_OVERLAP) > 0) {
            throw Failure.invalidRequest("overlap", "the overlap must be between 0s and " + MAX_SECRET_OVERLAP.toDays() + "d");
        }
        Client client = clients.byClientId(clientId).orElseThrow(() -> Failure.notFound("no client '" + clientId + "'"));
        if (client.isPublic()) throw Failure.of(Reason.CONFLICT, "client '" + clientId + "' is public: it has no secret to rotate");
        Secret secret = random.secret();
        java.time.Instant previousUntil = overlap.isZero() ? null : clock.instant().plus(overlap);
        if (!clients.replaceSecret(clientId, SecretHash.of(secret), previousUntil)) throw Failure.notFound("no client '" + clientId + "'");
        directory.invalidate();
        return secret;
    }

    /** Shortest secret an operator may set: it is stored as a bare SHA-256, so it must be as hard to guess as a generated one. */
    public static final int MIN_SET_SECRET_LENGTH = 32;

    /**
     * Sets a confidential client's secret to one the operator chose (configuration as code keeps
     * it in a secret store); the old secret stops working at once.
     */
    public void setClientSecret(String clientId, Secret secret) {
        if (secret == null || secret.value().length() < MIN_SET_SECRET_LENGTH) {
            throw Failure.invalidRequest("a client secret must be at least " + MIN_SET_SECRET_LENGTH + " characters (try: openssl rand -hex 32)");
        }
        Client client = clients.byClientId(clientId).orElseThrow(() -> Failure.notFound("no client '" + clientId + "'"));
        if (client.isPublic()) throw Failure.of(Reason.CONFLICT, "client '" + clientId + "' is public: it has no secret");
        if (!clients.replaceSecret(clientId, SecretHash.of(secret), null)) throw Failure.notFound("no client '" + clientId + "'");
        directory.invalidate();
    }

    /** Whether {@code secret} is the client's current secret (compared with its stored hash). */
    public boolean clientSecretIs(String clientId, Secret secret) {
        return clients.byClientId(clientId).map(c -> SecretHash.matches(secret, c.secretHash())).orElse(false);
    }

    /** When the secret replaced by the last rotation stops working, while it still works. */
    public java.util.Optional<java.time.Instant> previousSecretExpiry(String clientId) {
        return clients.previousSecret(clientId).map(ClientStore.PreviousSecret::expiresAt).filter(clock.instant()::isBefore);
    }

    /** The grants a client gets when none are named: what a confidential and a public client usually need. */
    public static List<GrantType> defaultGrants(boolean publicClient) {
        return publicClient ? List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN)
                : List.of(GrantType.CLIENT_CREDENTIALS, GrantType.REFRESH_TOKEN);
    }

    public java.util.Optional<Client> client(String clientId) { return clients.byClientId(clientId); }

    public java.util.Optional<User> user(String name) { return users.byName(name); }

    public void deleteClient(String clientId) {
        if (!clients.delete(clientId, clock.instant())) throw Failure.notFound("no client '" + clientId + "'");
        directory.invalidate();
    }

    private static void requireName(String name, String what) {
        if (name == null || !name.matches("[A-Za-z0-9@._+-]{1,128}")) {
            throw Failure.of(Reason.INVALID_REQUEST, what + " must be 1-128 letters, digits or @._+-");
        }
    }

    private static void requirePassword(Secret password) {
        if (password == null || password.value().length() < 8) {
            throw Failure.of(Reason.INVALID_REQUEST, "password must have at least 8 characters");
        }
        if (password.value().length() > 1024) throw Failure.of(Reason.INVALID_REQUEST, "password is longer than 1024 characters");
    }

    /** What an operator says about a new client; null lifetimes mean the configured defaults. */
    public record ClientSpec(String clientId, Set<GrantType> grantTypes, Set<String> scopes, List<String> audiences,
                             List<String> redirectUris, Duration accessTokenTtl, Duration refreshTokenTtl,
                             RefreshPolicy refreshPolicy, boolean publicClient) {
    }

    /** A new client and its secret (null for a public client), which is shown once and never stored in the clear. */
    public record NewClient(Client client, Secret secret) {
    }
}
