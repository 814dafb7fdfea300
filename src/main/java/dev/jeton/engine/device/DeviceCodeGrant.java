package dev.jeton.engine.device;

import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.Grants;
import dev.jeton.engine.IdTokens;
import dev.jeton.engine.TokenMinter;
import dev.jeton.engine.TokenMinter.Minted;
import dev.jeton.engine.grant.Issuing;
import dev.jeton.engine.refresh.RefreshTokens;
import dev.jeton.engine.refresh.RefreshTokens.Opened;
import dev.jeton.engine.registry.RegistryTokens;
import dev.jeton.model.AuthContext;
import dev.jeton.model.Client;
import dev.jeton.model.DeviceAuthorization;
import dev.jeton.model.Failure;
import dev.jeton.model.Failure.Code;
import dev.jeton.model.GrantType;
import dev.jeton.model.Issued;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenRequest;
import dev.jeton.model.User;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.DeviceStore;
import dev.jeton.store.DeviceStore.Poll;
import dev.jeton.store.UserStore;

import java.time.Clock;
import java.time.Instant;

/**
 * RFC 8628 3.4-3.5: the device polls with its device code. The answers, checked in this order:
 * an unknown code or one of another client is {@code invalid_grant}; an expired one
 * {@code expired_token}; a redeemed one {@code invalid_grant}; a poll sooner than the interval
 * after the last accepted one {@code slow_down} (the interval grows by 5 s); then
 * {@code access_denied} or {@code authorization_pending} as the user decided; an approved code
 * is redeemed by exactly one poll (the store's compare-and-set).
 * <p>
 * With the scope {@value #REGISTRY_SCOPE} the refresh token is a registry identity token of the
 * user (what {@code docker login} keeps): reusable, with the registry's idle and absolute
 * lifetimes, bound to the user's password, revocable by this client at {@code /oidc/revoke}.
 * Docker and containers/image present the same identity token on every pull, so it must not be
 * a rotating one.
 */
public final class DeviceCodeGrant {
    public static final String REGISTRY_SCOPE = "registry";

    private final ClientAuthenticator clients;
    private final Grants grants;
    private final TokenMinter minter;
    private final RefreshTokens refresh;
    private final DeviceStore store;
    private final UserStore users;
    private final RegistryTokens registryTokens;
    private final IdTokens idTokens;
    private final Clock clock;

    public DeviceCodeGrant(Issuing issuing, DeviceStore store, UserStore users, RegistryTokens registryTokens, IdTokens idTokens) {
        this.clients = issuing.clients();
        this.grants = issuing.grants();
        this.minter = issuing.minter();
        this.refresh = issuing.refresh();
        this.clock = issuing.clock();
        this.store = store;
        this.users = users;
        this.registryTokens = registryTokens;
        this.idTokens = idTokens;
    }

    public Issued issue(TokenRequest.DeviceCode request) {
        Client client = clients.authenticate(request.client());
        if (!client.allows(GrantType.DEVICE_CODE)) {
            throw Failure.unauthorizedClient("this client may not use the device authorization grant").because("client.grant_not_allowed");
        }
        if (request.deviceCode() == null || request.deviceCode().isEmpty()) throw Failure.invalidRequest("device_code", "device_code is required");
        byte[] hash = SecretHash.of(request.deviceCode());
        DeviceAuthorization found = store.byDeviceCode(hash).orElseThrow(DeviceCodeGrant::unknown);
        if (!found.clientId().equals(client.clientId())) {
            throw Failure.invalidGrant("the device code was issued to another client").because("device.wrong_client");
        }
        Instant now = clock.instant();
        Poll poll = store.poll(hash, now);
        DeviceAuthorization a = poll.authorization();
        switch (poll.outcome()) {
            case UNKNOWN -> throw unknown();
            case EXPIRED -> throw Failure.of(Reason.INVALID_GRANT, Code.EXPIRED_TOKEN, "the device code has expired; start again");
            case ALREADY_REDEEMED -> throw Failure.invalidGrant("the device code was already used").because("device.redeemed");
            case SLOW_DOWN -> throw Failure.of(Reason.INVALID_GRANT, Code.SLOW_DOWN,
                    "polling too often: wait at least " + a.interval().toSeconds() + " seconds between requests");
            case DENIED -> throw Failure.of(Reason.INVALID_GRANT, Code.DEVICE_DENIED, "the user denied the request");
            case PENDING -> throw Failure.of(Reason.INVALID_GRANT, Code.AUTHORIZATION_PENDING, "the user has not yet approved the request");
            case REDEEMED -> { }
        }
        User user = users.byId(a.userId()).filter(u -> !u.disabled())
                .orElseThrow(() -> Failure.invalidGrant("the user who approved is disabled or gone").because("user.disabled"));
        return tokens(client, user, a, request.dialect(), now);
    }

    private Issued tokens(Client client, User user, DeviceAuthorization a, String dialect, Instant now) {
        String audience = grants.audience(client, null);
        Minted token = minter.mint(user.subject(), client.clientId(), a.scope(), audience, grants.accessTtl(client), now);
        Issued issued = new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), a.scope(), user.subject(),
                client.clientId(), null, null);
        if (a.scope().contains(REGISTRY_SCOPE)) {
            RegistryTokens.Minted identity = registryTokens.identityOf(user, audience, client.clientId(), now);
            issued = new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), a.scope(), user.subject(),
                    client.clientId(), new Secret(identity.token()), identity.expiresAt()).withFamily(identity.jti());
        } else if (client.allows(GrantType.REFRESH_TOKEN)) {
            Opened family = refresh.open(user.subject(), client.clientId(), dialect, client.refreshPolicy(), a.scope(), audience,
                    grants.refreshTtl(client), now);
            issued = new Issued(token.token(), token.jti(), token.issuedAt(), token.expiresAt(), a.scope(), user.subject(),
                    client.clientId(), family.token(), family.expiresAt()).withFamily(family.family().id());
        }
        return a.scope().contains("openid") ? issued.withIdToken(idTokens.mint(issued, null, AuthContext.passwordLogin(a.createdAt()))) : issued;
    }

    private static Failure unknown() {
        return Failure.invalidGrant("the device code is invalid").because("device.unknown");
    }
}
