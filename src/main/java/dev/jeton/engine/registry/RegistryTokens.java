package dev.jeton.engine.registry;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.keys.ClaimsJson;
import dev.jeton.keys.KeyRing;
import dev.jeton.model.AccessScope;
import dev.jeton.model.Failure;
import dev.jeton.model.Failure.Code;
import dev.jeton.model.Reason;
import dev.jeton.model.RefreshFamily;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.Subject;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.RefreshStore;
import dev.jeton.store.RefreshStore.TokenState;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Registry access tokens (Docker's token format) and registry refresh tokens: JWTs with
 * {@code exp}, as the ACR clients expect, whose {@code jti} is the id of a reusable refresh
 * family in the store, so they can be revoked.
 */
public final class RegistryTokens {
    public static final String CLIENT_ID = "registry";

    private final KeyRing keys;
    private final RefreshStore refresh;
    private final RandomTokens random;
    private final String issuer;
    private final Duration accessTtl;
    private final Duration refreshTtl;

    public RegistryTokens(KeyRing keys, RefreshStore refresh, RandomTokens random, String issuer, Duration accessTtl,
                          Duration refreshTtl) {
        this.keys = keys;
        this.refresh = refresh;
        this.random = random;
        this.issuer = issuer;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
    }

    public Minted access(Subject subject, String service, List<AccessScope> granted, Instant now) {
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        Instant exp = iat.plus(accessTtl);
        String jti = random.id();
        String payload = access(claims(subject, service, iat, exp, jti), granted).end();
        return new Minted(keys.signWithCertificate(payload), jti, iat, exp);
    }

    /** A refresh token for {@code subject}, durable in the store before it is returned. */
    public Minted refresh(Subject subject, String service, String tenant, Instant now) {
        return refresh(subject, service, tenant, now, refreshTtl);
    }

    /** The same, living at most {@code notLongerThan} (a trust policy's max-ttl for a workload's token). */
    public Minted refresh(Subject subject, String service, String tenant, Instant now, Duration notLongerThan) {
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        Instant exp = iat.plus(notLongerThan.compareTo(refreshTtl) < 0 ? notLongerThan : refreshTtl);
        String familyId = random.id();
        ClaimsJson json = claims(subject, service, iat, exp, familyId)
                .string("grant_type", "refresh_token")
                .string("sub_kind", subject.kind().wireName())
                .string("sub_id", subject.id());
        if (tenant != null) json.string("tenant", tenant);
        String token = keys.signWithCertificate(json.end());
        RefreshFamily family = new RefreshFamily(familyId, subject, CLIENT_ID, "registry", RefreshPolicy.REUSABLE, Set.of(), service,
                iat, exp);
        refresh.open(family, SecretHash.of(token), exp);
        return new Minted(token, familyId, iat, exp);
    }

    /**
     * The claims Distribution checks, in every registry token: {@code aud} a single string, times
     * whole seconds; escaped so that the ACR clients' standard base64 decoders read the payload.
     */
    private ClaimsJson claims(Subject subject, String service, Instant iat, Instant exp, String jti) {
        return ClaimsJson.standardBase64Safe()
                .string("iss", issuer)
                .string("sub", subject.name())
                .string("aud", service)
                .number("exp", exp.getEpochSecond())
                .number("nbf", iat.getEpochSecond())
                .number("iat", iat.getEpochSecond())
                .string("jti", jti);
    }

    /** Docker's {@code access} claim: one {@code {type, name, actions}} object per granted scope. */
    static ClaimsJson access(ClaimsJson json, List<AccessScope> scopes) {
        json.beginArray("access");
        for (AccessScope s : scopes) {
            json.beginObject()
                    .string("type", s.resourceClass() == null ? s.type() : s.type() + "(" + s.resourceClass() + ")")
                    .string("name", s.name())
                    .strings("actions", s.actions())
                    .endObject();
        }
        return json.endArray();
    }

    /** The subject of a registry refresh token that is ours, unexpired and not revoked. */
    public Subject verifyRefresh(Secret token, Instant now) {
        JWTClaimsSet claims;
        try {
            SignedJWT jwt = SignedJWT.parse(token.value());
            if (!keys.verifySignature(jwt)) throw invalid();
            claims = jwt.getJWTClaimsSet();
            if (!issuer.equals(claims.getIssuer()) || !"refresh_token".equals(claims.getStringClaim("grant_type"))) throw invalid();
        } catch (ParseException e) {
            throw invalid();
        }
        if (claims.getExpirationTime() == null || !now.isBefore(claims.getExpirationTime().toInstant())) {
            throw Failure.of(Reason.INVALID_GRANT, Code.REFRESH_EXPIRED, "refresh token has expired");
        }
        Optional<TokenState> state = refresh.find(SecretHash.of(token));
        if (state.isEmpty()) throw invalid();
        if (state.get().revoked()) throw Failure.of(Reason.INVALID_GRANT, Code.REFRESH_REVOKED, "refresh token has been revoked");
        return state.get().family().subject();
    }

    /** True for a compact JWS whose payload names this token type: cheap, no verification. */
    public static boolean looksLikeRefreshToken(String value) {
        return value != null && value.chars().filter(c -> c == '.').count() == 2;
    }

    private static Failure invalid() {
        return Failure.of(Reason.INVALID_GRANT, Code.REFRESH_UNKNOWN, "refresh token is invalid");
    }

    /** {@code jti} is the token's id: for a refresh token, the id of its family. */
    public record Minted(String token, String jti, Instant issuedAt, Instant expiresAt) {
    }
}
