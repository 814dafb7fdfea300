package dev.jeton.engine;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.Secret;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.RefreshStore;
import dev.jeton.store.RefreshStore.TokenState;

import java.text.ParseException;
import java.time.Clock;
import java.util.Optional;

/**
 * RFC 7009. Revoking a refresh token revokes its whole family (through the same atomic store
 * path as rotation, so it cannot lose a race with one); revoking an access token puts its
 * {@code jti} on the deny list until it would have expired. Unknown tokens are not an error.
 */
public final class Revocation {
    private final AccessTokens accessTokens;
    private final RefreshStore refresh;
    private final Clock clock;

    public Revocation(AccessTokens accessTokens, RefreshStore refresh, Clock clock) {
        this.accessTokens = accessTokens;
        this.refresh = refresh;
        this.clock = clock;
    }

    /** Revocation by a client: only its own tokens (RFC 7009 2.1). */
    public void revokeFor(Client caller, String token) {
        if (AccessTokens.looksLikeJwt(token)) {
            JWTClaimsSet claims = ownClaims(token);
            if (claims == null) return;
            if (AccessTokens.isRefreshToken(claims)) {
                revokeRefreshFor(caller, token);
                return;
            }
            if (!caller.clientId().equals(clientIdOf(claims))) {
                throw Failure.unauthorizedClient("the token was not issued to this client");
            }
            accessTokens.revoke(claims);
            return;
        }
        revokeRefreshFor(caller, token);
    }

    private void revokeRefreshFor(Client caller, String token) {
        Optional<TokenState> found = refresh.find(SecretHash.of(new Secret(token)));
        if (found.isEmpty()) return;
        if (!caller.clientId().equals(found.get().family().clientId())) {
            throw Failure.unauthorizedClient("the token was not issued to this client");
        }
        refresh.revokeFamily(found.get().family().id(), clock.instant());
    }

    /** Revocation by the operator: any token. True when a token was found and revoked. */
    public boolean revokeAsAdmin(String token) {
        if (AccessTokens.looksLikeJwt(token)) {
            JWTClaimsSet claims = ownClaims(token);
            if (claims == null) return false;
            if (AccessTokens.isRefreshToken(claims)) return refresh.revokeByToken(SecretHash.of(new Secret(token)), clock.instant());
            accessTokens.revoke(claims);
            return true;
        }
        return refresh.revokeByToken(SecretHash.of(new Secret(token)), clock.instant());
    }

    public boolean revokeFamily(String familyId) {
        return refresh.revokeFamily(familyId, clock.instant());
    }

    private JWTClaimsSet ownClaims(String token) {
        try {
            return accessTokens.verifySignatureAndIssuer(token);
        } catch (Failure notOurs) {
            return null;
        }
    }

    private static String clientIdOf(JWTClaimsSet claims) {
        try {
            return claims.getStringClaim("client_id");
        } catch (ParseException e) {
            return null;
        }
    }
}
