package dev.jeton.engine;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.keys.KeyRing;
import dev.jeton.model.Issued;
import dev.jeton.model.SubjectKind;

import java.time.Instant;
import java.util.Date;

/** OpenID Connect ID tokens (OIDC Core 2): who logged in, for which client, when. */
public final class IdTokens {
    private final KeyRing keys;
    private final String issuer;

    public IdTokens(KeyRing keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    /** An ID token for the subject of {@code issued}, valid as long as its access token. */
    public String mint(Issued issued, String nonce, Instant authTime) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(issued.subject().id())
                .audience(issued.clientId())
                .issueTime(Date.from(issued.issuedAt()))
                .expirationTime(Date.from(issued.expiresAt()))
                .claim("azp", issued.clientId())
                .claim("auth_time", (authTime == null ? issued.issuedAt() : authTime).getEpochSecond());
        if (nonce != null) claims.claim("nonce", nonce);
        if (issued.subject().kind() == SubjectKind.USER) claims.claim("preferred_username", issued.subject().name());
        return keys.sign(claims.build(), JOSEObjectType.JWT);
    }
}
