package dev.jeton.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.keys.KeyRing;
import dev.jeton.model.Failure;
import dev.jeton.store.RevocationStore;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;

/** Verifies JWT access tokens that Jeton itself issued: signature, issuer, time, revocation. */
public final class AccessTokens {
    private final KeyRing keys;
    private final RevocationStore revocations;
    private final String issuer;
    private final Clock clock;
    /*
     * Resource servers introspect the same token on every call they serve; its signature check
     * (ECDSA verification, twice the cost of signing) and parse were two fifths of an
     * introspection's CPU. A token is looked up by its exact text, so a hit is a string that
     * already verified byte for byte: nothing forged can hit. Only the signature and issuer are
     * remembered: the signing key must still be published (a retired key's tokens stop at once)
     * and expiry and revocation are checked on every call. Bounded by count; a token is about
     * 2 KiB here with its parsed claims, so the cache stays under 10 MiB.
     */
    private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(4_096).build();

    public AccessTokens(KeyRing keys, RevocationStore revocations, String issuer, Clock clock) {
        this.keys = keys;
        this.revocations = revocations;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** True when the string has the shape of a compact JWS; says nothing of its validity. */
    public static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first && token.chars().filter(c -> c == '.').count() == 2;
    }

    /** The token's claims when it is one of ours, unexpired and not revoked; INVALID_TOKEN otherwise. */
    public JWTClaimsSet verify(String token) {
        JWTClaimsSet claims = verifySignatureAndIssuer(token);
        checkValidity(claims);
        return claims;
    }

    /** Time, id, kind and revocation of claims whose signature was already verified. */
    public void checkValidity(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null || !now.isBefore(exp.toInstant())) throw Failure.invalidToken("token has expired").because("token.expired");
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant())) throw Failure.invalidToken("token is not valid yet").because("token.not_yet_valid");
        if (claims.getJWTID() == null) throw Failure.invalidToken("token has no jti").because("token.no_jti");
        if (isRefreshToken(claims)) throw Failure.invalidToken("a refresh token is not an access token").because("token.not_access");
        if (revocations.isRevoked(claims.getJWTID())) throw Failure.invalidToken("token has been revoked").because("token.revoked");
    }

    /** Signature and issuer only: for revocation, where an expired token is simply a no-op. */
    public JWTClaimsSet verifySignatureAndIssuer(String token) {
        Verified seen = verified.getIfPresent(token);
        if (seen != null && keys.publishes(seen.kid())) return seen.claims();
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw Failure.invalidToken("token is not a well-formed JWT").because("token.malformed");
        }
        if (!keys.verifySignature(jwt)) throw Failure.invalidToken("token signature is not valid").because("token.signature");
        if (!ours(claims)) throw Failure.invalidToken("token was issued by someone else").because("token.issuer");
        verified.put(token, new Verified(jwt.getHeader().getKeyID(), claims));
        return claims;
    }

    /** A token whose signature and issuer checked out, and the key that signed it. */
    private record Verified(String kid, JWTClaimsSet claims) {
    }

    /** Our issuer, or its per-tenant form {@code ISSUER/TENANT} that managed identity tokens carry. */
    private boolean ours(JWTClaimsSet claims) {
        String iss = claims.getIssuer();
        if (issuer.equals(iss)) return true;
        Object tid = claims.getClaim("tid");
        return iss != null && tid != null && iss.equals(issuer + "/" + tid);
    }

    /** Registry refresh tokens are JWTs too; they say so in {@code grant_type}. */
    public static boolean isRefreshToken(JWTClaimsSet claims) {
        return "refresh_token".equals(claims.getClaim("grant_type"));
    }

    public void revoke(JWTClaimsSet claims) {
        Date exp = claims.getExpirationTime();
        if (claims.getJWTID() == null || exp == null || !clock.instant().isBefore(exp.toInstant())) return;
        revocations.revoke(claims.getJWTID(), exp.toInstant());
    }
}
