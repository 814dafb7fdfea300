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
import dev.jeton.secrets.TokenKey;
import dev.jeton.store.RefreshStore;
import dev.jeton.store.RefreshStore.TokenState;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Registry access tokens (Docker's token format) and registry refresh tokens: JWTs with
 * {@code exp}, as the ACR clients expect, whose {@code jti} is the id of a reusable refresh
 * family in the store, so they can be revoked. A refresh token from a login with a password or
 * app secret is Docker's identity token: it lives until unused for the idle lifetime (each use
 * extends it) or until the absolute cap, and is bound to the credential of that login.
 */
public final class RegistryTokens {
    public static final String CLIENT_ID = "registry";

    private final KeyRing keys;
    private final RefreshStore refresh;
    private final RandomTokens random;
    private final String issuer;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final Duration identityIdle;
    private final Duration identityMax;

    /**
     * @param identityIdle how long a login's identity token lives unused
     * @param identityMax  how long it lives at most after its login
     */
    public RegistryTokens(KeyRing keys, RefreshStore refresh, RandomTokens random, String issuer, Duration accessTtl,
                          Duration refreshTtl, Duration identityIdle, Duration identityMax) {
        this.keys = keys;
        this.refresh = refresh;
        this.random = random;
        this.issuer = issuer;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
        this.identityIdle = identityIdle;
        this.identityMax = identityMax;
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
        return mint(subject, service, tenant, now, refreshTtl, null);
    }

    /** The same, living at most {@code notLongerThan} (a trust policy's max-ttl for a workload's token). */
    public Minted refresh(Subject subject, String service, String tenant, Instant now, Duration notLongerThan) {
        return mint(subject, service, tenant, now, notLongerThan.compareTo(refreshTtl) < 0 ? notLongerThan : refreshTtl, null);
    }

    /**
     * The identity token of a login ({@code offline_token=true} with a password or app secret):
     * its {@code exp} is the absolute cap, and the store ends it sooner when it goes unused for
     * the idle lifetime or when {@code credential} is no longer the principal's.
     */
    public Minted identity(Subject subject, String service, String credential, Instant now) {
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        Instant idleEnd = iat.plus(identityIdle.compareTo(identityMax) < 0 ? identityIdle : identityMax);
        return mint(subject, service, null, now, identityMax, new RefreshStore.Binding(credential, idleEnd));
    }

    /**
     * A user's identity token obtained through another client's sign-in (the device flow of a
     * credential helper): the same lifetimes and password binding as a login's, held in a family of
     * {@code clientId} so that this client can revoke it (RFC 7009).
     */
    public Minted identityOf(dev.jeton.model.User user, String service, String clientId, Instant now) {
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        Instant idleEnd = iat.plus(identityIdle.compareTo(identityMax) < 0 ? identityIdle : identityMax);
        return mint(user.subject(), service, null, now, identityMax, new RefreshStore.Binding(Credentials.of(user), idleEnd), clientId);
    }

    private Minted mint(Subject subject, String service, String tenant, Instant now, Duration ttl, RefreshStore.Binding binding) {
        return mint(subject, service, tenant, now, ttl, binding, CLIENT_ID);
    }

    private Minted mint(Subject subject, String service, String tenant, Instant now, Duration ttl, RefreshStore.Binding binding,
                        String clientId) {
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        Instant exp = iat.plus(ttl);
        String familyId = random.id();
        ClaimsJson json = claims(subject, service, iat, exp, familyId)
                .string("grant_type", "refresh_token")
                .string("sub_kind", subject.kind().wireName())
                .string("sub_id", subject.id());
        if (tenant != null) json.string("tenant", tenant);
        String token = keys.signWithCertificate(json.end());
        RefreshFamily family = new RefreshFamily(familyId, subject, clientId, "registry", RefreshPolicy.REUSABLE, Set.of(), service,
                iat, exp);
        refresh.open(family, TokenKey.of(new Secret(token)), exp, binding);
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

    /**
     * Docker's {@code access} claim: one {@code {type, class, name, actions}} object per requested
     * scope, with the granted actions (maybe none, as Distribution's own token servers write
     * them). The class goes in its own member, as in Distribution's {@code ResourceActions}, so
     * that a registry matching on type finds {@code repository}.
     */
    static ClaimsJson access(ClaimsJson json, List<AccessScope> scopes) {
        json.beginArray("access");
        for (AccessScope s : scopes) {
            json.beginObject().string("type", s.type());
            if (s.resourceClass() != null) json.string("class", s.resourceClass());
            json.string("name", s.name())
                    .strings("actions", s.actions())
                    .endObject();
        }
        return json.endArray();
    }

    /**
     * A registry refresh token that is ours, unexpired, not revoked and not idle: who it names and
     * the credential it is bound to (null for one that is not a login's identity token). A use of
     * an identity token extends its idle lifetime.
     */
    public Presented verifyRefresh(Secret token, Instant now) {
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
        RefreshStore.Presented presented = refresh.present(TokenKey.of(token), now, identityIdle);
        TokenState state = presented.state();
        return switch (presented.standing()) {
            case VALID -> new Presented(state.family().subject(), state.credential(), state.family().id());
            case UNKNOWN -> throw invalid();
            case EXPIRED -> throw Failure.of(Reason.INVALID_GRANT, Code.REFRESH_EXPIRED, "refresh token has expired");
            case REVOKED -> throw Failure.of(Reason.INVALID_GRANT, Code.REFRESH_REVOKED, "refresh token has been revoked");
            case IDLE -> throw Failure.of(Reason.INVALID_GRANT, Code.REFRESH_EXPIRED, "refresh token has expired: unused for too long")
                    .because("refresh.idle");
        };
    }

    /**
     * Any refresh token of Jeton's own that is opaque (an OAuth refresh token of the oauth2,
     * Occam or Run:ai dialects), as evidence of who holds it: still the current token of its
     * family, unexpired, not revoked. It is not used up or rotated here.
     */
    public Subject verifyOpaqueRefresh(Secret token, Instant now) {
        RefreshStore.Presented presented = refresh.present(TokenKey.of(token), now, identityIdle);
        TokenState state = presented.state();
        return switch (presented.standing()) {
            case VALID -> {
                boolean current = state.family().policy() == RefreshPolicy.REUSABLE || state.tokenGeneration() == state.familyGeneration();
                if (!current) throw Failure.of(Reason.INVALID_GRANT, "refresh token has already been used").because("refresh.superseded");
                yield state.family().subject();
            }
            case UNKNOWN -> throw invalid();
            case REVOKED -> throw Failure.of(Reason.INVALID_GRANT, Code.REFRESH_REVOKED, "refresh token has been revoked");
            case EXPIRED, IDLE -> throw Failure.of(Reason.INVALID_GRANT, Code.REFRESH_EXPIRED, "refresh token has expired");
        };
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

    /** A presented refresh token that is good: whom it names, the credential it is bound to (or null), its family. */
    public record Presented(Subject subject, String credential, String familyId) {
    }
}
