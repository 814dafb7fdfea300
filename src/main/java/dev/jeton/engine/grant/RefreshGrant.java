package dev.jeton.engine.grant;

import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.Grants;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.TokenMinter.Minted;
import dev.jeton.engine.refresh.RefreshTokens;
import dev.jeton.engine.refresh.RefreshTokens.Redeemed;
import dev.jeton.model.Client;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.Issued;
import dev.jeton.model.RefreshFamily;
import dev.jeton.model.SubjectKind;
import dev.jeton.model.TokenRequest.Refresh;
import dev.jeton.store.UserStore;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/** RFC 6749 6: a refresh token for a new access token, rotated or reused by the family's policy. */
public final class RefreshGrant {
    private final ClientAuthenticator clients;
    private final UserStore users;
    private final Grants grants;
    private final TokenMinter minter;
    private final RefreshTokens refresh;
    private final Clock clock;

    public RefreshGrant(Issuing issuing, UserStore users) {
        this.clients = issuing.clients();
        this.users = users;
        this.grants = issuing.grants();
        this.minter = issuing.minter();
        this.refresh = issuing.refresh();
        this.clock = issuing.clock();
    }

    public Issued issue(Refresh request) {
        Client client = clients.authenticate(ownerIfUnnamed(request));
        if (!client.allows(GrantType.REFRESH_TOKEN)) {
            throw Failure.unauthorizedClient("this client may not use the refresh_token grant").because("client.grant_not_allowed");
        }
        if (request.refreshToken() == null || request.refreshToken().isEmpty()) {
            throw Failure.invalidRequest("refresh_token", "refresh_token is required");
        }
        Instant now = clock.instant();
        Redeemed redeemed = refresh.redeem(request.refreshToken(), client.clientId(), grants.refreshTtl(client), now);
        RefreshFamily family = redeemed.family();
        Set<String> scope = narrowed(family.scope(), request.scope());
        requireActiveUser(redeemed);
        Minted token = minter.mint(family.subject(), client.clientId(), scope, family.audience(), grants.accessTtl(client), now);
        return new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), scope, family.subject(),
                client.clientId(), redeemed.token(), redeemed.token() == null ? null : redeemed.expiresAt()).withFamily(family.id());
    }

    /**
     * A request that names no client at all is taken as coming from the token's own client,
     * which then authenticates only if it is public: the token is all such a client has.
     */
    private dev.jeton.model.ClientAuth ownerIfUnnamed(Refresh request) {
        dev.jeton.model.ClientAuth auth = request.client();
        if (auth == null || auth.clientId() != null || request.refreshToken() == null) return auth;
        return dev.jeton.model.ClientAuth.none(refresh.clientOf(request.refreshToken())
                .orElseThrow(() -> Failure.of(dev.jeton.model.Reason.INVALID_GRANT, Failure.Code.REFRESH_UNKNOWN, "refresh token is invalid")));
    }

    /** RFC 6749 6: a refresh may ask for less than the original grant, never more. */
    private static Set<String> narrowed(Set<String> granted, Set<String> requested) {
        if (requested == null) return granted;
        for (String s : requested) {
            if (!granted.contains(s)) throw Failure.invalidScope("scope '" + s + "' was not part of the original grant").because("scope.not_in_grant");
        }
        return requested;
    }

    /** A user disabled since the login gets no new access tokens (asked of the user store unless the rotation read it). */
    private void requireActiveUser(Redeemed redeemed) {
        RefreshFamily family = redeemed.family();
        if (family.subject().kind() != SubjectKind.USER) return;
        boolean active = redeemed.userActive() != null ? redeemed.userActive() : users.isActive(family.subject().id());
        if (!active) throw Failure.invalidGrant("the user of this refresh token is disabled or gone").because("user.disabled");
    }
}
