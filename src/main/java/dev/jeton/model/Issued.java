package dev.jeton.model;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the engine hands back for a successful grant; each dialect writes its own shape of it.
 * {@code familyId} names the refresh family a refresh token belongs to, and {@code limits} the
 * requested scopes that rules cut down: both for the audit log, never for the wire.
 */
public record Issued(
        String accessToken,
        String jti,
        Instant issuedAt,
        Instant expiresAt,
        Set<String> scope,
        Subject subject,
        String clientId,
        Secret refreshToken,
        Instant refreshExpiresAt,
        String idToken,
        String familyId,
        List<ScopeLimit> limits) {

    /** Without an ID token: most grants have none. */
    public Issued(String accessToken, String jti, Instant issuedAt, Instant expiresAt, Set<String> scope, Subject subject,
                  String clientId, Secret refreshToken, Instant refreshExpiresAt) {
        this(accessToken, jti, issuedAt, expiresAt, scope, subject, clientId, refreshToken, refreshExpiresAt, null, null, List.of());
    }

    public Issued withIdToken(String token) {
        return new Issued(accessToken, jti, issuedAt, expiresAt, scope, subject, clientId, refreshToken, refreshExpiresAt, token,
                familyId, limits);
    }

    public Issued withFamily(String family) {
        return new Issued(accessToken, jti, issuedAt, expiresAt, scope, subject, clientId, refreshToken, refreshExpiresAt, idToken,
                family, limits);
    }

    public Issued withLimits(List<ScopeLimit> cut) {
        return new Issued(accessToken, jti, issuedAt, expiresAt, scope, subject, clientId, refreshToken, refreshExpiresAt, idToken,
                familyId, cut);
    }

    public long expiresInSeconds() { return expiresAt.getEpochSecond() - issuedAt.getEpochSecond(); }
}
