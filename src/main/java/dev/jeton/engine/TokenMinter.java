package dev.jeton.engine;

import dev.jeton.keys.ClaimsJson;
import dev.jeton.keys.KeyRing;
import dev.jeton.model.Scopes;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.secrets.RandomTokens;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** Builds and signs JWT access tokens. Access tokens are not stored: the signature is the record. */
public final class TokenMinter {
    private final KeyRing keys;
    private final RandomTokens random;
    private final String issuer;

    public TokenMinter(KeyRing keys, RandomTokens random, String issuer) {
        this.keys = keys;
        this.random = random;
        this.issuer = issuer;
    }

    public Minted mint(Subject subject, String clientId, Set<String> scope, String audience, Duration ttl, Instant now) {
        String jti = random.id();
        // Whole seconds: JWT NumericDate, and what every verifier compares.
        Instant issuedAt = Instant.ofEpochSecond(now.getEpochSecond());
        Instant expiresAt = issuedAt.plus(ttl);
        ClaimsJson claims = new ClaimsJson()
                .string("iss", issuer)
                .string("sub", subject.id())
                .string("aud", audience)
                .number("exp", expiresAt.getEpochSecond())
                .number("iat", issuedAt.getEpochSecond())
                .number("nbf", issuedAt.getEpochSecond())
                .string("jti", jti)
                .string("scope", Scopes.format(scope))
                .string("client_id", clientId);
        if (subject.kind() == SubjectKind.USER) claims.string("preferred_username", subject.name());
        if (subject.kind() != SubjectKind.USER && subject.kind() != SubjectKind.CLIENT) {
            claims.string("sub_kind", subject.kind().wireName());
        }
        String token = keys.sign(claims.end());
        return new Minted(token, jti, issuedAt, expiresAt);
    }

    public String issuer() { return issuer; }

    public record Minted(String token, String jti, Instant issuedAt, Instant expiresAt) {
    }
}
