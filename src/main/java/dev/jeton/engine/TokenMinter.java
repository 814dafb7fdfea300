package dev.jeton.engine;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.keys.KeyRing;
import dev.jeton.model.Scopes;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.secrets.RandomTokens;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
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
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject.id())
                .audience(audience)
                .expirationTime(Date.from(expiresAt))
                .issueTime(Date.from(issuedAt))
                .notBeforeTime(Date.from(issuedAt))
                .jwtID(jti)
                .claim("scope", Scopes.format(scope))
                .claim("client_id", clientId);
        if (subject.kind() == SubjectKind.USER) claims.claim("preferred_username", subject.name());
        if (subject.kind() != SubjectKind.USER && subject.kind() != SubjectKind.CLIENT) {
            claims.claim("sub_kind", subject.kind().wireName());
        }
        String token = keys.sign(claims.build(), JOSEObjectType.JWT);
        return new Minted(token, jti, issuedAt, expiresAt);
    }

    public String issuer() { return issuer; }

    public record Minted(String token, String jti, Instant issuedAt, Instant expiresAt) {
    }
}
