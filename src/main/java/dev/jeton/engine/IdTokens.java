package dev.jeton.engine;

import dev.jeton.keys.ClaimsJson;
import dev.jeton.keys.KeyRing;
import dev.jeton.keys.SigningAlgorithm;
import dev.jeton.model.AuthContext;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.Issued;
import dev.jeton.model.SubjectKind;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * OpenID Connect ID tokens (OIDC Core 2): who logged in, for which client, when, and how. Signed
 * with the algorithm the client registered ({@code id_token_signed_response_alg}), RS256 when it
 * registered none (OIDC Core 15.1). No {@code jti}: an ID token is never accepted as an access token.
 */
public final class IdTokens {
    private final KeyRing keys;
    private final String issuer;
    private final ClientDirectory clients;

    public IdTokens(KeyRing keys, String issuer, ClientDirectory clients) {
        this.keys = keys;
        this.issuer = issuer;
        this.clients = clients;
    }

    /**
     * An ID token for the subject of {@code issued}, valid as long as its access token, with the
     * access token's {@code at_hash} (OIDC Core 3.1.3.6). {@code auth} null: authenticated at
     * issue, by a method this token cannot tell (a dialect that always returns an ID token), so no {@code amr}.
     */
    public String mint(Issued issued, String nonce, AuthContext auth) {
        AuthContext context = auth != null ? auth : new AuthContext(issued.issuedAt(), null, java.util.List.of(), null);
        ClaimsJson claims = new ClaimsJson()
                .string("iss", issuer)
                .string("sub", issued.subject().id())
                .string("aud", issued.clientId())
                .number("iat", issued.issuedAt().getEpochSecond())
                .number("exp", issued.expiresAt().getEpochSecond())
                .string("azp", issued.clientId())
                .number("auth_time", context.authTime().getEpochSecond());
        if (nonce != null) claims.string("nonce", nonce);
        if (context.acr() != null) claims.string("acr", context.acr());
        if (!context.amr().isEmpty()) claims.strings("amr", context.amr());
        if (context.sid() != null) claims.string("sid", context.sid());
        if (issued.accessToken() != null) claims.string("at_hash", leftHalfHash(issued.accessToken()));
        if (issued.subject().kind() == SubjectKind.USER) claims.string("preferred_username", issued.subject().name());
        return keys.sign(claims.end(), algorithmFor(issued.clientId()));
    }

    /**
     * Signs another JWT for a client (a back-channel logout token) with the key and algorithm of
     * that client's ID tokens, so the client verifies it as it verifies them.
     */
    public String signFor(String clientId, String payloadJson) {
        return keys.sign(payloadJson, algorithmFor(clientId));
    }

    /** The client's registered algorithm; RS256 for a client that registered none (or is unknown here, as for a workload). */
    public SigningAlgorithm algorithmFor(String clientId) {
        String registered = clientId == null ? null
                : clients.oidcSettings(clientId).map(ClientOidcSettings::idTokenAlg).orElse(null);
        return registered == null ? SigningAlgorithm.RS256 : SigningAlgorithm.parse(registered);
    }

    /**
     * OIDC Core 3.1.3.6 / 3.3.2.11: base64url of the left half of the hash of the token's ASCII
     * octets, the hash being the one of the JWS algorithm (SHA-256 for RS256 and ES256).
     */
    public static String leftHalfHash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
