package dev.jeton.engine;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.RefreshFamily;
import dev.jeton.model.Secret;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.secrets.TokenKey;
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

    /** What a revocation took away, for the audit log: an access token by {@code jti} or a refresh family by id. */
    public record Revoked(String kind, String jti, String familyId, Subject subject, String clientId) {
        static Revoked family(RefreshFamily family) {
            return new Revoked("refresh_family", null, family.id(), family.subject(), family.clientId());
        }

        static Revoked access(JWTClaimsSet claims) {
            return new Revoked("access_token", claims.getJWTID(), null, subjectOf(claims), clientIdOf(claims));
        }
    }

    /** Revocation by a client: only its own tokens (RFC 7009 2.1). Empty when the token is unknown (not an error). */
    public Optional<Revoked> revokeFor(Client caller, String token) {
        if (AccessTokens.looksLikeJwt(token)) {
            JWTClaimsSet claims = ownClaims(token);
            if (claims == null) return Optional.empty();
            if (AccessTokens.isRefreshToken(claims)) return revokeRefreshFor(caller, token);
            if (!caller.clientId().equals(clientIdOf(claims))) {
                throw Failure.unauthorizedClient("the token was not issued to this client").because("revoke.other_client");
            }
            accessTokens.revoke(claims);
            return Optional.of(Revoked.access(claims));
        }
        return revokeRefreshFor(caller, token);
    }

    private Optional<Revoked> revokeRefreshFor(Client caller, String token) {
        Optional<TokenState> found = refresh.find(TokenKey.of(new Secret(token)));
        if (found.isEmpty()) return Optional.empty();
        if (!caller.clientId().equals(found.get().family().clientId())) {
            throw Failure.unauthorizedClient("the token was not issued to this client").because("revoke.other_client");
        }
        refresh.revokeFamily(found.get().family().id(), clock.instant());
        return Optional.of(Revoked.family(found.get().family()));
    }

    /**
     * Revocation by the operator: any token. Empty when the token is not one of ours. A refresh
     * token is found by its key whatever issuer this process derives (the CLI's, without a
     * configured {@code issuer}, names its own port, not the server's).
     */
    public Optional<Revoked> revokeAsAdmin(String token) {
        if (AccessTokens.looksLikeJwt(token)) {
            JWTClaimsSet claims = ownClaims(token);
            if (claims != null && !AccessTokens.isRefreshToken(claims)) {
                accessTokens.revoke(claims);
                return Optional.of(Revoked.access(claims));
            }
        }
        TokenKey key = TokenKey.of(new Secret(token));
        Optional<TokenState> found = refresh.find(key);
        if (found.isEmpty() || !refresh.revokeByToken(key, clock.instant())) return Optional.empty();
        return Optional.of(Revoked.family(found.get().family()));
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

    /** Who an access token speaks for, from the claims {@link TokenMinter} and the IMDS grant write. */
    private static Subject subjectOf(JWTClaimsSet claims) {
        try {
            String sub = claims.getSubject();
            String username = claims.getStringClaim("preferred_username");
            if (username != null) return new Subject(SubjectKind.USER, sub, username);
            if (claims.getClaim("xms_mirid") != null) return new Subject(SubjectKind.MANAGED_IDENTITY, sub, sub);
            String kind = claims.getStringClaim("sub_kind");
            if (kind != null) return new Subject(SubjectKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), sub, sub);
            return new Subject(SubjectKind.CLIENT, sub, sub);
        } catch (ParseException | IllegalArgumentException e) {
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
