package dev.jeton.engine;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.RefreshFamily;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Scopes;
import dev.jeton.model.Secret;
import dev.jeton.model.SubjectKind;
import dev.jeton.model.TokenInfo;
import dev.jeton.secrets.TokenKey;
import dev.jeton.store.RefreshStore;
import dev.jeton.store.RefreshStore.TokenState;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * RFC 7662. Any authenticated client may ask about access tokens (resource servers are
 * clients); a refresh token is only described to the client it was issued to.
 */
public final class Introspection {
    private final AccessTokens accessTokens;
    private final RefreshStore refresh;
    private final String issuer;
    private final Clock clock;

    public Introspection(AccessTokens accessTokens, RefreshStore refresh, String issuer, Clock clock) {
        this.accessTokens = accessTokens;
        this.refresh = refresh;
        this.issuer = issuer;
        this.clock = clock;
    }

    public TokenInfo describe(Client caller, String token) {
        if (!AccessTokens.looksLikeJwt(token)) return describeRefreshToken(caller, token);
        JWTClaimsSet claims;
        try {
            claims = accessTokens.verifySignatureAndIssuer(token);
        } catch (Failure notOurs) {
            return TokenInfo.INACTIVE;
        }
        // Registry refresh tokens are JWTs too: their state is in the refresh store.
        if (AccessTokens.isRefreshToken(claims)) return describeRefreshToken(caller, token);
        try {
            accessTokens.checkValidity(claims);
        } catch (Failure invalid) {
            return TokenInfo.INACTIVE;
        }
        return describeAccessToken(claims);
    }

    private TokenInfo describeAccessToken(JWTClaimsSet claims) {
        try {
            return new TokenInfo(true, "Bearer", claims.getStringClaim("scope"), claims.getStringClaim("client_id"),
                    claims.getStringClaim("preferred_username"), claims.getSubject(), claims.getAudience(), claims.getIssuer(),
                    claims.getExpirationTime().toInstant(), instant(claims.getIssueTime()), instant(claims.getNotBeforeTime()),
                    claims.getJWTID());
        } catch (ParseException e) {
            return TokenInfo.INACTIVE;
        }
    }

    private TokenInfo describeRefreshToken(Client caller, String token) {
        Optional<TokenState> found = refresh.find(TokenKey.of(new Secret(token)));
        if (found.isEmpty()) return TokenInfo.INACTIVE;
        TokenState state = found.get();
        RefreshFamily family = state.family();
        Instant now = clock.instant();
        boolean current = family.policy() == RefreshPolicy.REUSABLE || state.tokenGeneration() == state.familyGeneration();
        boolean active = state.standing(now) == RefreshStore.Standing.VALID && current && caller.clientId().equals(family.clientId());
        if (!active) return TokenInfo.INACTIVE;
        String username = family.subject().kind() == SubjectKind.USER ? family.subject().name() : null;
        return new TokenInfo(true, "refresh_token", Scopes.format(family.scope()), family.clientId(), username,
                family.subject().id(), family.audience() == null ? null : java.util.List.of(family.audience()), issuer,
                state.tokenExpiresAt(), null, null, null);
    }

    private static Instant instant(java.util.Date d) { return d == null ? null : d.toInstant(); }
}
