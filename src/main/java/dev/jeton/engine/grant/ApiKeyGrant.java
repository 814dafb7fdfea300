package dev.jeton.engine.grant;

import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.Grants;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.TokenMinter.Minted;
import dev.jeton.model.ApiKey;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.Failure.Code;
import dev.jeton.model.Issued;
import dev.jeton.model.Reason;
import dev.jeton.model.TokenRequest;
import dev.jeton.model.User;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.ApiKeyStore;
import dev.jeton.store.UserStore;

import java.time.Clock;
import java.time.Instant;

/** An API key for an access token that carries the key's owner as subject and the key's scopes. No refresh token. */
public final class ApiKeyGrant {
    private static final System.Logger LOG = System.getLogger(ApiKeyGrant.class.getName());

    private final ClientAuthenticator clients;
    private final ApiKeyStore keys;
    private final UserStore users;
    private final Grants grants;
    private final TokenMinter minter;
    private final Clock clock;

    public ApiKeyGrant(Issuing issuing, ApiKeyStore keys, UserStore users) {
        this.clients = issuing.clients();
        this.keys = keys;
        this.users = users;
        this.grants = issuing.grants();
        this.minter = issuing.minter();
        this.clock = issuing.clock();
    }

    public Issued issue(TokenRequest.ApiKey request) {
        Client client = clients.authenticate(request.client());
        if (request.key() == null || request.key().isEmpty()) throw Failure.invalidRequest("key", "key is required");
        Instant now = clock.instant();
        ApiKey key = keys.byHash(SecretHash.of(request.key())).orElseThrow(() -> invalid("unknown API key", "api_key.unknown"));
        if (key.revokedAt() != null) throw invalid("revoked API key " + key.id(), "api_key.revoked");
        if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
            throw Failure.of(Reason.INVALID_GRANT, Code.API_KEY_EXPIRED, "API key expired");
        }
        User owner = users.byId(key.userId()).orElseThrow(() -> invalid("API key of a deleted user", "user.unknown"));
        if (owner.disabled()) throw invalid("API key of disabled user " + owner.id(), "user.disabled");
        Minted token = minter.mint(owner.subject(), client.clientId(), key.scopes(), grants.audience(client, null),
                grants.accessTtl(client), now);
        return new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), key.scopes(), owner.subject(),
                client.clientId(), null, null);
    }

    private static Failure invalid(String why, String check) {
        LOG.log(System.Logger.Level.INFO, "API key refused: {0}", why);
        return Failure.of(Reason.INVALID_GRANT, Code.API_KEY_INVALID, "Invalid API key").because(check);
    }
}
