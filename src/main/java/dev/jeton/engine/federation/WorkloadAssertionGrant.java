package dev.jeton.engine.federation;

import dev.jeton.engine.Grants;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.TokenMinter.Minted;
import dev.jeton.engine.imds.ManagedIdentityTokens;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.Issued;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.Reason;
import dev.jeton.model.TokenRequest.WorkloadAssertion;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Azure workload identity: Entra ID's client_credentials grant where the client proves itself
 * with a federated {@code client_assertion} (RFC 7523 2.2) instead of a secret. The assertion
 * must match a trust policy whose principal is the managed identity (or app) that
 * {@code client_id} names, in the tenant of the path, as Entra requires a federated identity
 * credential on that very identity. An assertion that does not verify or match is
 * {@code invalid_client} (RFC 7523 3.2).
 */
public final class WorkloadAssertionGrant {
    private final Federation federation;
    private final ManagedIdentityTokens identityTokens;
    private final Duration identityTokenTtl;
    private final Grants grants;
    private final TokenMinter minter;
    private final Clock clock;

    public WorkloadAssertionGrant(Federation federation, ManagedIdentityTokens identityTokens, Duration identityTokenTtl, Grants grants,
                                  TokenMinter minter, Clock clock) {
        this.federation = federation;
        this.identityTokens = identityTokens;
        this.identityTokenTtl = identityTokenTtl;
        this.grants = grants;
        this.minter = minter;
        this.clock = clock;
    }

    public Issued issue(WorkloadAssertion r) {
        String clientId = r.client() == null ? null : r.client().clientId();
        if (clientId == null || clientId.isEmpty()) throw Failure.invalidRequest("client_id", "client_id is required");
        if (r.assertion() == null || r.assertion().isEmpty()) throw Failure.invalidRequest("client_assertion", "client_assertion is required");
        if (r.resource() == null || r.resource().isEmpty()) {
            throw Failure.invalidRequest("scope", "scope must name the resource as RESOURCE/.default").because("scope.no_resource");
        }
        Federation.Federated federated;
        try {
            federated = federation.resolve(r.assertion().value());
        } catch (Failure f) {
            if (f.reason() != Reason.INVALID_GRANT) throw f;
            throw Failure.of(Reason.INVALID_CLIENT, "client_assertion", "the client assertion is not accepted: " + f.detail()).because(f.check());
        }
        Instant now = clock.instant();
        ManagedIdentity identity = federated.identity();
        if (identity != null) {
            if (!identity.clientId().equalsIgnoreCase(clientId)) throw notThisClient(federated);
            if (!identity.tenantId().equalsIgnoreCase(r.tenant())) {
                throw Failure.of(Reason.INVALID_REQUEST, "tenant", "the identity " + clientId + " is not in tenant " + r.tenant())
                        .because("tenant.mismatch");
            }
            return identityTokens.mint(identity, r.resource(), now, min(identityTokenTtl, federated.maxTtl())).issued();
        }
        Client app = federated.app();
        if (app == null || !app.clientId().equals(clientId)) throw notThisClient(federated);
        String audience = grants.audience(app, r.resource());
        Minted token = minter.mint(app.subject(), app.clientId(), app.scopes(), audience, min(grants.accessTtl(app), federated.maxTtl()), now);
        return new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), app.scopes(), app.subject(), app.clientId(),
                null, null);
    }

    private static Failure notThisClient(Federation.Federated federated) {
        return Failure.of(Reason.INVALID_CLIENT, "client_assertion", "no federated credential of this client matches the assertion "
                + "(its trust policy " + federated.token().policy().name() + " speaks for " + federated.token().policy().as() + ")")
                .because("policy.other_client");
    }

    private static Duration min(Duration a, Duration b) { return a.compareTo(b) <= 0 ? a : b; }

    /** The resources of Entra scopes {@code RESOURCE/.default}; OpenID's own scopes, which MSAL always adds, are not resources. */
    public static String resourceOf(Set<String> scopes) {
        String resource = null;
        for (String scope : scopes) {
            if (scope.equals("openid") || scope.equals("profile") || scope.equals("offline_access")) continue;
            if (!scope.endsWith("/.default") || resource != null) {
                throw Failure.invalidScope("scope must be one RESOURCE/.default (and optionally openid profile offline_access)");
            }
            resource = scope.substring(0, scope.length() - "/.default".length());
        }
        return resource;
    }
}
