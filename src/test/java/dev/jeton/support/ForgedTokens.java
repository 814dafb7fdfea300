package dev.jeton.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.keys.KeyRing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * JWTs that a verifier must refuse, built against a real Jeton: signed by its own key but
 * expired, not yet valid, of another issuer or audience; signed by a stranger under its key
 * id; {@code alg: none}; HMAC keyed with public data; encrypted-shaped; malformed.
 */
public final class ForgedTokens {
    private static final ECKey STRANGER;

    static {
        try {
            STRANGER = new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private final KeyRing keys;
    private final String issuer;

    public ForgedTokens(KeyRing keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    /** Claims of a valid access token of ours for {@code subject} (a user id with its name, or a client id). */
    public JWTClaimsSet.Builder claims(String subject, String username) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(issuer)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .jwtID(UUID.randomUUID().toString()).claim("client_id", "demo");
        if (username != null) b.claim("preferred_username", username);
        return b;
    }

    public String signed(JWTClaimsSet.Builder claims) { return keys.sign(claims.build().toString()); }

    public String expired(String subject, String username) {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        return signed(claims(subject, username).issueTime(Date.from(past)).notBeforeTime(Date.from(past))
                .expirationTime(Date.from(past.plus(Duration.ofMinutes(10)))));
    }

    public String notYetValid(String subject, String username) {
        Instant future = Instant.now().plus(Duration.ofHours(1));
        return signed(claims(subject, username).notBeforeTime(Date.from(future)).expirationTime(Date.from(future.plusSeconds(600))));
    }

    public String otherIssuer(String subject, String username) {
        return signed(claims(subject, username).issuer("https://evil.example"));
    }

    public String otherAudience(String subject, String username) {
        return signed(claims(subject, username).audience("https://elsewhere.example"));
    }

    /** Valid claims, signed by a key that is not ours but under our key id. */
    public String wronglySigned(String subject, String username) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keys.activeKid().orElseThrow()).build(),
                claims(subject, username).build());
        try {
            jwt.sign(new ECDSASigner(STRANGER));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public String algNone(String subject, String username) {
        return new PlainJWT(claims(subject, username).build()).serialize();
    }

    /** The classic confusion: HS256 keyed with the (public) JWKS, as if it were a shared secret. */
    public String hmacWithPublicKeys(String subject, String username) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.activeKid().orElseThrow()).build(),
                claims(subject, username).build());
        try {
            jwt.sign(new MACSigner(keys.jwksJson().getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Five parts: a JWE's shape, which parses as a JWT whose claims cannot be read. */
    public static String encryptedShape() {
        return b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}") + ".YQ.YQ.YQ.YQ";
    }

    /** Three parts of which the payload is not JSON. */
    public static String malformed() {
        return b64("{\"alg\":\"ES256\"}") + "." + b64("not json") + ".c2ln";
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
