package dev.jeton.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Validates an ID token from an upstream provider as OIDC Core 3.1.3.7 says, one check at a
 * time, each refusal with its own reason for the audit log: a signed JWT with an asymmetric
 * algorithm, a signature by one of the issuer's keys (looked up by {@code kid}, the keys
 * refetched once on an unknown one), {@code iss} exactly the upstream's issuer, {@code aud}
 * naming our client id, {@code azp} our client id when there are several audiences or it is
 * present, {@code exp} not passed and {@code iat} not ahead (both with {@link #SKEW}),
 * {@code nonce} the one sent, and a {@code sub}.
 */
final class IdTokenCheck {
    static final Duration SKEW = Duration.ofSeconds(60);
    /** An ID token is for the sign-in that asked for it, minutes ago at most. */
    static final Duration OLDEST = Duration.ofMinutes(10);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private IdTokenCheck() {
    }

    static JWTClaimsSet verify(String idToken, IssuerKeys keys, String issuer, String clientId, String nonce, Instant now) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(idToken);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw refused("The identity provider's ID token is not a signed JWT.", "upstream.id_token_malformed");
        }
        if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            throw refused("The identity provider's ID token is signed with " + jwt.getHeader().getAlgorithm()
                    + ", which is not accepted.", "upstream.id_token_alg");
        }
        if (!signedByOneOf(jwt, keys.candidates(jwt.getHeader().getKeyID()))) {
            throw refused("The identity provider's ID token does not carry a valid signature of its keys.", "upstream.bad_signature");
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw refused("The ID token was issued by " + claims.getIssuer() + ", not by " + issuer + ".", "upstream.wrong_issuer");
        }
        List<String> audience = claims.getAudience();
        if (audience == null || !audience.contains(clientId)) {
            throw refused("The ID token is not meant for this service (its audience is " + audience + ").", "upstream.wrong_audience");
        }
        String azp = stringClaim(claims, "azp");
        if ((audience.size() > 1 || azp != null) && !clientId.equals(azp)) {
            throw refused("The ID token was issued to another party (azp " + azp + ").", "upstream.wrong_azp");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null || !exp.toInstant().plus(SKEW).isAfter(now)) {
            throw refused("The identity provider's ID token has expired.", "upstream.id_token_expired");
        }
        Date iat = claims.getIssueTime();
        if (iat == null || iat.toInstant().minus(SKEW).isAfter(now) || iat.toInstant().plus(OLDEST).isBefore(now)) {
            throw refused("The identity provider's ID token has no plausible issue time.", "upstream.id_token_iat");
        }
        if (!nonce.equals(stringClaim(claims, "nonce"))) {
            throw refused("The ID token does not belong to this sign-in (wrong nonce).", "upstream.wrong_nonce");
        }
        if (claims.getSubject() == null || claims.getSubject().isEmpty()) {
            throw refused("The ID token names no subject.", "upstream.no_subject");
        }
        return claims;
    }

    private static boolean signedByOneOf(SignedJWT jwt, List<JWK> candidates) {
        for (JWK key : candidates) {
            JWSVerifier verifier = WorkloadTokens.verifierFor(key, jwt.getHeader().getAlgorithm());
            try {
                if (verifier != null && jwt.verify(verifier)) return true;
            } catch (JOSEException | IllegalStateException e) {
                // A key the provider cannot use for this algorithm: try the next one.
            }
        }
        return false;
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }

    static Failure refused(String detail, String check) {
        return Failure.of(Reason.ACCESS_DENIED, detail).because(check);
    }
}
