package dev.jeton.engine.registry;

import dev.jeton.engine.federation.Federation;
import dev.jeton.federation.WorkloadTokens;
import dev.jeton.engine.registry.RegistryTokens.Minted;
import dev.jeton.federation.FederatedIdentity;
import dev.jeton.federation.TrustedIssuers;
import dev.jeton.model.Failure;
import dev.jeton.model.Issued;
import dev.jeton.model.Reason;
import dev.jeton.model.Requester;
import dev.jeton.model.Secret;
import dev.jeton.model.Subject;
import dev.jeton.model.TokenRequest.RegistryExchange;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * ACR's {@code /oauth2/exchange}: a token of a trusted issuer (Jeton itself included) becomes
 * a registry refresh token for the principal it maps to. {@code grant_type=refresh_token}
 * also renews a registry refresh token of ours. With {@code access_token_refresh_token} both
 * tokens are verified, and must be of one issuer and one principal.
 */
public final class RegistryExchangeGrant {
    private final TrustedIssuers issuers;
    private final Federation workloads;
    private final RegistryPrincipals principals;
    private final RegistryTokens tokens;
    private final Clock clock;

    public RegistryExchangeGrant(TrustedIssuers issuers, Federation workloads, RegistryPrincipals principals, RegistryTokens tokens,
                                 Clock clock) {
        this.issuers = issuers;
        this.workloads = workloads;
        this.principals = principals;
        this.tokens = tokens;
        this.clock = clock;
    }

    public Issued issue(RegistryExchange request) {
        if (request.grantType() == null) throw Failure.invalidRequest("grant_type", "grant_type is required");
        if (request.service() == null) throw Failure.invalidRequest("service", "service is required");
        Instant now = clock.instant();
        Exchanged who = switch (request.grantType()) {
            case "access_token" -> federated(required(request.accessToken(), "access_token"), request.tenant());
            case "access_token_refresh_token" -> {
                Secret refresh = required(request.refreshToken(), "refresh_token");
                yield new Exchanged(withRefreshToken(required(request.accessToken(), "access_token"), refresh, request.tenant(), now), null);
            }
            case "refresh_token" -> renewedOrFederated(required(request.refreshToken(), "refresh_token"), request.tenant());
            default -> throw Failure.unsupportedGrant("grant_type must be access_token, access_token_refresh_token or refresh_token");
        };
        Subject subject = who.requester().subject();
        Minted refresh = who.notLongerThan() == null ? tokens.refresh(subject, request.service(), request.tenant(), now)
                : tokens.refresh(subject, request.service(), request.tenant(), now, who.notLongerThan());
        return new Issued(null, null, refresh.issuedAt(), refresh.issuedAt(), Set.of(), subject, RegistryTokens.CLIENT_ID,
                new Secret(refresh.token()), refresh.expiresAt()).withFamily(refresh.jti());
    }

    /** Who the refresh token speaks for; for a workload's token, its trust policy's max-ttl caps the refresh token's life. */
    private record Exchanged(Requester requester, Duration notLongerThan) {
    }

    /** A workload token under a trust policy, or a token of a configured upstream issuer (Jeton's own included). */
    private Exchanged federated(Secret token, String tenant) {
        if (workloads.trustsIssuer(WorkloadTokens.issuerOf(token.value()))) {
            Federation.Federated workload = workloads.resolve(token.value());
            return new Exchanged(workload.requester(), workload.maxTtl());
        }
        return new Exchanged(principals.ofFederated(issuers.verify(token.value(), tenant)), null);
    }

    /**
     * Both tokens verified before anyone is mapped (or provisioned): the refresh token as the
     * issuer of the access token makes its tokens. Jeton's own are checked against the refresh
     * store (a registry refresh token or an OAuth one: current, unexpired, unrevoked); an upstream
     * issuer's must be a JWT that verifies as its access tokens do (signature, issuer, audience,
     * expiry, tenant) and names the same subject. An opaque upstream token cannot be verified
     * here, so it is refused: {@code grant_type=access_token} needs none.
     */
    private Requester withRefreshToken(Secret accessToken, Secret refreshToken, String tenant, Instant now) {
        FederatedIdentity access = issuers.verify(accessToken.value(), tenant);
        if (access.self()) {
            Subject holder = ownRefreshTokenHolder(refreshToken, now);
            Requester who = principals.ofFederated(access);
            if (holder.kind() != who.subject().kind() || !holder.id().equals(who.subject().id())) throw mismatch();
            return who;
        }
        FederatedIdentity refresh;
        try {
            refresh = issuers.verify(refreshToken.value(), tenant);
        } catch (Failure bad) {
            throw refreshInvalid(bad);
        }
        if (refresh.self() || !refresh.issuer().name().equals(access.issuer().name())) {
            throw Failure.of(Reason.INVALID_GRANT, "the refresh_token is not valid: it is not from the issuer of the access_token")
                    .because("exchange.refresh_issuer_mismatch");
        }
        String claim = access.issuer().subjectClaim();
        if (!Objects.equals(stringClaim(access, claim), stringClaim(refresh, claim))) throw mismatch();
        return principals.ofFederated(access);
    }

    private Subject ownRefreshTokenHolder(Secret token, Instant now) {
        try {
            return RegistryTokens.looksLikeRefreshToken(token.value())
                    ? principals.ofRefreshToken(token).subject()
                    : tokens.verifyOpaqueRefresh(token, now);
        } catch (Failure bad) {
            throw refreshInvalid(bad);
        }
    }

    private Exchanged renewedOrFederated(Secret token, String tenant) {
        try {
            return new Exchanged(principals.ofRefreshToken(token), null);
        } catch (Failure notOurs) {
            if (notOurs.code() != Failure.Code.REFRESH_UNKNOWN) throw notOurs;
            return federated(token, tenant);
        }
    }

    private static String stringClaim(FederatedIdentity identity, String name) {
        try {
            return identity.claims().getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    /**
     * A refused refresh token keeps the check that failed (refresh.expired, token.signature...)
     * for the audit log; an outage (discovery unreachable) stays an outage.
     */
    private static Failure refreshInvalid(Failure bad) {
        if (bad.reason() == Reason.UNAVAILABLE || bad.reason() == Reason.INTERNAL || bad.reason() == Reason.RATE_LIMITED) return bad;
        String prefix = "the token is not valid: ";
        String why = bad.detail().startsWith(prefix) ? bad.detail().substring(prefix.length()) : bad.detail();
        String detail = bad.reason() == Reason.INVALID_GRANT ? "the refresh_token is not valid: " + why : "the refresh_token is not valid";
        return Failure.of(Reason.INVALID_GRANT, detail).because(bad.check());
    }

    private static Failure mismatch() {
        return Failure.of(Reason.INVALID_GRANT, "the refresh_token does not belong to the subject of the access_token")
                .because("exchange.refresh_subject_mismatch");
    }

    private static Secret required(Secret value, String name) {
        if (value == null || value.isEmpty()) throw Failure.invalidRequest(name, name + " is required");
        return value;
    }
}
