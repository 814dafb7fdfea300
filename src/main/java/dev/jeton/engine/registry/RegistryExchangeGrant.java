package dev.jeton.engine.registry;

import dev.jeton.engine.federation.Federation;
import dev.jeton.federation.WorkloadTokens;
import dev.jeton.engine.registry.RegistryTokens.Minted;
import dev.jeton.federation.TrustedIssuers;
import dev.jeton.model.Failure;
import dev.jeton.model.Issued;
import dev.jeton.model.Requester;
import dev.jeton.model.Secret;
import dev.jeton.model.Subject;
import dev.jeton.model.TokenRequest.RegistryExchange;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * ACR's {@code /oauth2/exchange}: a token of a trusted issuer (Jeton itself included) becomes
 * a registry refresh token for the principal it maps to. {@code grant_type=refresh_token}
 * also renews a registry refresh token of ours.
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
                required(request.refreshToken(), "refresh_token");
                yield federated(required(request.accessToken(), "access_token"), request.tenant());
            }
            case "refresh_token" -> renewedOrFederated(required(request.refreshToken(), "refresh_token"), request.tenant(), now);
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

    private Exchanged renewedOrFederated(Secret token, String tenant, Instant now) {
        try {
            return new Exchanged(principals.ofSubject(tokens.verifyRefresh(token, now)), null);
        } catch (Failure notOurs) {
            if (notOurs.code() != Failure.Code.REFRESH_UNKNOWN) throw notOurs;
            return federated(token, tenant);
        }
    }

    private static Secret required(Secret value, String name) {
        if (value == null || value.isEmpty()) throw Failure.invalidRequest(name, name + " is required");
        return value;
    }
}
