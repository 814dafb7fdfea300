package dev.jeton.engine.grant;

import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.Grants;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.TokenMinter.Minted;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.Issued;
import dev.jeton.model.TokenRequest.ClientCredentials;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/** RFC 6749 4.4: a client gets a token for itself. No refresh token (4.4.3). */
public final class ClientCredentialsGrant {
    private final ClientAuthenticator clients;
    private final Grants grants;
    private final TokenMinter minter;
    private final Clock clock;

    public ClientCredentialsGrant(Issuing issuing) {
        this.clients = issuing.clients();
        this.grants = issuing.grants();
        this.minter = issuing.minter();
        this.clock = issuing.clock();
    }

    public Issued issue(ClientCredentials request) {
        Client client = clients.authenticate(request.client());
        // A public client proves nothing about itself, so it gets nothing on its own behalf.
        if (!client.allows(GrantType.CLIENT_CREDENTIALS) || client.isPublic()) {
            throw Failure.unauthorizedClient("this client may not use the client_credentials grant")
                    .because(client.isPublic() ? "client.public" : "client.grant_not_allowed");
        }
        Set<String> scope = grants.scope(client, request.scope());
        String audience = grants.audience(client, request.audience());
        Instant now = clock.instant();
        Minted token = minter.mint(client.subject(), client.clientId(), scope, audience, grants.accessTtl(client), now);
        return new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), scope, client.subject(),
                client.clientId(), null, null);
    }
}
