package dev.jeton.model;

import java.time.Instant;
import java.util.Set;

/** What the engine hands back for a successful grant; each dialect writes its own shape of it. */
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
        String idToken) {

    /** Without an ID token: most grants have none. */
    public Issued(String accessToken, String jti, Instant issuedAt, Instant expiresAt, Set<String> scope, Subject subject,
                  String clientId, Secret refreshToken, Instant refreshExpiresAt) {
        this(accessToken, jti, issuedAt, expiresAt, scope, subject, clientId, refreshToken, refreshExpiresAt, null);
    }

    public Issued withIdToken(String token) {
        return new Issued(accessToken, jti, issuedAt, expiresAt, scope, subject, clientId, refreshToken, refreshExpiresAt, token);
    }

    public long expiresInSeconds() { return expiresAt.getEpochSecond() - issuedAt.getEpochSecond(); }
}
