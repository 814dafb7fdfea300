package dev.jeton.engine;

import dev.jeton.keys.ClaimsJson;
import dev.jeton.keys.KeyRing;
import dev.jeton.model.Authentication;
import dev.jeton.model.Issued;
import dev.jeton.model.SubjectKind;

import java.time.Instant;

/** OpenID Connect ID tokens (OIDC Core 2): who logged in, for which client, when. */
public final class IdTokens {
    private final KeyRing keys;
    private final String issuer;

    public IdTokens(KeyRing keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    /**
     * An ID token for the subject of {@code issued}, valid as long as its access token. With an
     * {@code authentication} (a browser login) it says when and how the user logged in and in
     * which session ({@code auth_time}, {@code acr}, {@code amr}, {@code sid}).
     */
    public String mint(Issued issued, String nonce, Authentication authentication) {
        Instant authTime = authentication == null ? null : authentication.authTime();
        ClaimsJson claims = new ClaimsJson()
                .string("iss", issuer)
                .string("sub", issued.subject().id())
                .string("aud", issued.clientId())
                .number("iat", issued.issuedAt().getEpochSecond())
                .number("exp", issued.expiresAt().getEpochSecond())
                .string("azp", issued.clientId())
                .number("auth_time", (authTime == null ? issued.issuedAt() : authTime).getEpochSecond());
        if (authentication != null && authentication.acr() != null) claims.string("acr", authentication.acr());
        if (authentication != null && !authentication.amr().isEmpty()) claims.strings("amr", authentication.amr());
        if (authentication != null && authentication.sid() != null) claims.string("sid", authentication.sid());
        if (nonce != null) claims.string("nonce", nonce);
        if (issued.subject().kind() == SubjectKind.USER) claims.string("preferred_username", issued.subject().name());
        return keys.sign(claims.end());
    }
}
