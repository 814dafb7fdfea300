package dev.jeton.engine.grant;

import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.Grants;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.refresh.RefreshTokens;

import java.time.Clock;

/**
 * What every grant a client asks for works with: the client's authentication, the rules on its
 * scopes, audience and lifetimes, the access token minter, the refresh token families, and the
 * time. Each grant takes this and only the few parts its own request needs besides.
 */
public record Issuing(ClientAuthenticator clients, Grants grants, TokenMinter minter, RefreshTokens refresh, Clock clock) {
}
