package dev.jeton.engine.grant;

import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.Grants;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.TokenMinter.Minted;
import dev.jeton.engine.refresh.RefreshTokens;
import dev.jeton.engine.refresh.RefreshTokens.Opened;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.Issued;
import dev.jeton.model.TokenRequest.Password;
import dev.jeton.model.User;
import dev.jeton.secrets.PasswordHasher;
import dev.jeton.store.UserStore;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 6749 4.3: a user's name and password, for clients explicitly allowed to ask for them.
 * A refresh token comes back when the client may also use the refresh_token grant.
 */
public final class PasswordGrant {
    private static final System.Logger LOG = System.getLogger(PasswordGrant.class.getName());

    private final ClientAuthenticator clients;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final Grants grants;
    private final TokenMinter minter;
    private final RefreshTokens refresh;
    private final Clock clock;

    public PasswordGrant(ClientAuthenticator clients, UserStore users, PasswordHasher hasher, Grants grants, TokenMinter minter,
                         RefreshTokens refresh, Clock clock) {
        this.clients = clients;
        this.users = users;
        this.hasher = hasher;
        this.grants = grants;
        this.minter = minter;
        this.refresh = refresh;
        this.clock = clock;
    }

    public Issued issue(Password request) {
        Client client = clients.authenticate(request.client());
        if (!client.allows(GrantType.PASSWORD)) throw Failure.unauthorizedClient("this client may not use the password grant");
        if (request.username() == null || request.username().isEmpty()) throw Failure.invalidRequest("username", "username is required");
        if (request.password() == null) throw Failure.invalidRequest("password", "password is required");
        Set<String> scope = grants.scope(client, request.scope());
        String audience = grants.audience(client, request.audience());
        User user = authenticate(request);

        Instant now = clock.instant();
        Minted token = minter.mint(user.subject(), client.clientId(), scope, audience, grants.accessTtl(client), now);
        if (!client.allows(GrantType.REFRESH_TOKEN)) {
            return new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), scope, user.subject(),
                    client.clientId(), null, null);
        }
        Opened family = refresh.open(user.subject(), client.clientId(), request.dialect(), client.refreshPolicy(), scope, audience,
                grants.refreshTtl(client), now);
        return new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), scope, user.subject(),
                client.clientId(), family.token(), family.expiresAt());
    }

    private static Failure badCredentials() {
        return Failure.of(dev.jeton.model.Reason.INVALID_GRANT, Failure.Code.BAD_CREDENTIALS, "invalid username or password");
    }

    private User authenticate(Password request) {
        Optional<User> found = users.byName(request.username());
        // Always one Argon2id verification, so timing does not reveal which names exist.
        boolean matches = hasher.verify(request.password(), found.map(User::passwordHash).orElse(null));
        if (found.isEmpty() || !matches) {
            LOG.log(System.Logger.Level.INFO, "password login failed ({0})", found.isEmpty() ? "unknown user" : "wrong password");
            throw badCredentials();
        }
        if (found.get().disabled()) {
            LOG.log(System.Logger.Level.INFO, "disabled user {0} tried to log in", found.get().id());
            throw badCredentials();
        }
        return found.get();
    }
}
