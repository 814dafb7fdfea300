package dev.jeton.engine.session;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.keys.KeyRing;
import dev.jeton.model.Failure;

import java.text.ParseException;
import java.util.List;

/**
 * An {@code id_token_hint} (OIDC Core 3.1.2.1, RP-Initiated Logout 2): an ID token this server
 * signed, with our issuer. It may have expired: RPs send the last one they hold.
 */
public final class IdTokenHints {
    private final KeyRing keys;
    private final String issuer;

    public IdTokenHints(KeyRing keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    public Hint verify(String token) {
        if (token.length() > 8192) throw Failure.invalidRequest("id_token_hint", "id_token_hint is too long");
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw Failure.invalidRequest("id_token_hint", "id_token_hint is not a signed JWT").because("id_token_hint.malformed");
        }
        if (!keys.verifySignature(jwt)) {
            throw Failure.invalidRequest("id_token_hint", "id_token_hint was not signed by this server").because("id_token_hint.signature");
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw Failure.invalidRequest("id_token_hint", "id_token_hint was issued by another issuer").because("id_token_hint.issuer");
        }
        if (claims.getSubject() == null) throw Failure.invalidRequest("id_token_hint", "id_token_hint has no sub").because("id_token_hint.sub");
        String sid;
        try {
            sid = claims.getStringClaim("sid");
        } catch (ParseException e) {
            sid = null;
        }
        return new Hint(claims.getSubject(), claims.getAudience() == null ? List.of() : claims.getAudience(), sid);
    }

    /** What a verified hint says: the user ({@code sub}), the clients it was for, and its session. */
    public record Hint(String subject, List<String> audience, String sid) {
        public Hint {
            audience = List.copyOf(audience);
        }
    }
}
