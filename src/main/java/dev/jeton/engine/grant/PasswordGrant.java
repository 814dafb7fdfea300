package dev.jeton.engine.grant;

import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.Grants;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.UserAuthenticator;
import dev.jeton.engine.TokenMinter.Minted;
import dev.jeton.engine.refresh.RefreshTokens;
import dev.jeton.engine.refresh.RefreshTokens.Opened;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.Issued;
import dev.jeton.model.TokenRequest.Password;
import dev.jeton.model.User;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * RFC 6749 4.3: a user's name and password, for clients explicitly allowed to ask for them.
 * A refresh token comes back when the client may also use the refresh_token grant.
 */
public final class PasswordGrant {
    private final ClientAuthenticator clients;
    private final UserAuthenticator users;
    private final Grants grants;
    private final TokenMinter minter;
    private final RefreshTokens refresh;
    private final Clock clock;

    public PasswordGrant(Issuing issuing, UserAuthenticator users) {
        this.clients = issuing.clients();
        this.users = users;
        this.grants = issuing.grants();
        this.minter = issuing.minter();
        this.refresh = issuing.refresh();
        this.clock = issuing.clock();
    }

    public Issued issue(Password request) {
        Client client = clients.authenticate(request.client());
        if (!client.allows(GrantType.PASSWORD)) throw Failure.unauthorizedClient("this client may not use the password grant").because("client.grant_not_allowed");
        if (request.username() == null || request.username().isEmpty()) throw Failure.invalidRequest("username", "username is required");
        if (request.password() == null) throw Failure.invalidRequest("password", "password is required");
        Set<String> scope = grants.scope(client, request.scope());
        String audience = grants.audience(client, request.audience());
        User user = users.authenticate(request.username(), request.password(), request.source());

        Instant now = clock.instant();
        Minted token = minter.mint(user.subject(), client.clientId(), scope, audience, grants.accessTtl(client), now);
        if (!client.allows(GrantType.REFRESH_TOKEN)) {
            return new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), scope, user.subject(),
                    client.clientId(), null, null);
        }
        Opened family = refresh.open(user.subject(), client.clientId(), request.dialect(), client.refreshPolicy(), scope, audience,
                grants.refreshTtl(client), now);
        return new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), scope, user.subject(),
                client.clientId(), family.token(), family.expiresAt()).withFamily(family.family().id());
    }
}
