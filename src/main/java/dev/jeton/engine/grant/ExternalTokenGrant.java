package dev.jeton.engine.grant;

import dev.jeton.engine.federation.Federation;
import dev.jeton.federation.WorkloadTokens;
import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.Grants;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.TokenMinter.Minted;
import dev.jeton.engine.refresh.RefreshTokens;
import dev.jeton.engine.refresh.RefreshTokens.Opened;
import dev.jeton.engine.registry.RegistryPrincipals;
import dev.jeton.federation.TrustedIssuers;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.Issued;
import dev.jeton.model.Requester;
import dev.jeton.model.TokenRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A token of a trusted upstream issuer becomes Jeton tokens for the principal it maps to (Run:ai's external_token_exchange). */
public final class ExternalTokenGrant {
    private final ClientAuthenticator clients;
    private final TrustedIssuers issuers;
    private final Federation workloads;
    private final RegistryPrincipals principals;
    private final Grants grants;
    private final TokenMinter minter;
    private final RefreshTokens refresh;
    private final Clock clock;

    public ExternalTokenGrant(Issuing issuing, TrustedIssuers issuers, Federation workloads, RegistryPrincipals principals) {
        this.clients = issuing.clients();
        this.issuers = issuers;
        this.workloads = workloads;
        this.principals = principals;
        this.grants = issuing.grants();
        this.minter = issuing.minter();
        this.refresh = issuing.refresh();
        this.clock = issuing.clock();
    }

    public Issued issue(TokenRequest.ExternalToken request) {
        Client client = clients.authenticate(request.client());
        if (request.externalToken() == null || request.externalToken().isEmpty()) {
            throw Failure.invalidRequest("externalToken", "externalToken is required");
        }
        String presented = request.externalToken().value();
        // A workload token under a trust policy, or a token of a configured upstream issuer.
        Requester who;
        Duration cap = null;
        if (workloads.trustsIssuer(WorkloadTokens.issuerOf(presented))) {
            Federation.Federated workload = workloads.resolve(presented);
            who = workload.requester();
            cap = workload.maxTtl();
        } else {
            who = principals.ofFederated(issuers.verify(presented, null));
        }
        Instant now = clock.instant();
        String audience = grants.audience(client, null);
        Duration accessTtl = cap == null || grants.accessTtl(client).compareTo(cap) <= 0 ? grants.accessTtl(client) : cap;
        Minted token = minter.mint(who.subject(), client.clientId(), client.scopes(), audience, accessTtl, now);
        // A workload presents its platform's token again instead of holding a refresh token, which would outlive its policy's max-ttl.
        if (cap != null || !client.allows(GrantType.REFRESH_TOKEN)) {
            return new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), client.scopes(), who.subject(),
                    client.clientId(), null, null);
        }
        Opened family = refresh.open(who.subject(), client.clientId(), request.dialect(), client.refreshPolicy(), client.scopes(),
                audience, grants.refreshTtl(client), now);
        return new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), client.scopes(), who.subject(),
                client.clientId(), family.token(), family.expiresAt()).withFamily(family.family().id());
    }
}
