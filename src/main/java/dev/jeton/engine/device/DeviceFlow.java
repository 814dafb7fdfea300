package dev.jeton.engine.device;

import dev.jeton.engine.ClientAuthenticator;
import dev.jeton.engine.Grants;
import dev.jeton.engine.TokenAudit;
import dev.jeton.engine.UserAuthenticator;
import dev.jeton.engine.code.LoginThrottle;
import dev.jeton.model.Client;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.DeviceAuthorization;
import dev.jeton.model.DeviceAuthorization.Status;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.Origin;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.secrets.SecretHash;
import dev.jeton.store.DeviceStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 8628 up to the user's decision: a device asks (3.1, client authenticated as at the token
 * endpoint, public clients allowed), the user enters the user code on the verification page,
 * signs in and approves or denies (3.3). Wrong user codes are throttled per source address and
 * across all sources (a global budget per instance), since a guessed code would let a stranger
 * approve an attacker's device as themselves. Every refusal is audited with its reason.
 */
public final class DeviceFlow {
    /** The throttle's user-name slot counts every wrong code from anywhere. */
    private static final String EVERYONE = "*";

    private final ClientAuthenticator clients;
    private final Grants grants;
    private final UserAuthenticator users;
    private final DeviceStore store;
    private final RandomTokens random;
    private final UserCodes userCodes = new UserCodes();
    private final LoginThrottle guesses;
    private final TokenAudit audit;
    private final Clock clock;
    private final Duration lifetime;
    private final Duration interval;

    public DeviceFlow(ClientAuthenticator clients, Grants grants, UserAuthenticator users, DeviceStore store, RandomTokens random,
                      LoginThrottle guesses, TokenAudit audit, Clock clock, Duration lifetime, Duration interval) {
        this.clients = clients;
        this.grants = grants;
        this.users = users;
        this.store = store;
        this.random = random;
        this.guesses = guesses;
        this.audit = audit;
        this.clock = clock;
        this.lifetime = lifetime;
        this.interval = interval;
    }

    /** What the device shows its user and how it polls. {@code userCode} is formatted for display. */
    public record Started(Secret deviceCode, String userCode, Duration expiresIn, Duration interval) {
    }

    /** A pending request as the verification page shows it. */
    public record Pending(String clientId, Set<String> scope, String userCode) {
    }

    /** RFC 8628 3.1-3.2. */
    public Started start(ClientAuth auth, Set<String> scope, Origin origin) {
        try {
            Client client = clients.authenticate(auth);
            if (!client.allows(GrantType.DEVICE_CODE)) {
                throw Failure.unauthorizedClient("this client may not use the device authorization grant").because("client.grant_not_allowed");
            }
            Set<String> granted = grants.scope(client, scope);
            Secret deviceCode = random.secret();
            String userCode = userCodes.generate();
            Instant now = clock.instant();
            store.save(SecretHash.of(deviceCode), SecretHash.of(userCode), new DeviceAuthorization(client.clientId(), granted,
                    Status.PENDING, null, interval, null, now, now.plus(lifetime)));
            return new Started(deviceCode, UserCodes.display(userCode), lifetime, interval);
        } catch (Failure f) {
            audit.refusedDevice("device_authorization", auth == null ? null : auth.clientId(), null, origin, f);
            throw f;
        }
    }

    /** The request behind a typed user code, for the page to show; throttled and audited when wrong. */
    public Pending pending(String typedCode, Origin origin) {
        try {
            String code = canonical(typedCode, origin.address());
            DeviceAuthorization a = open(code, origin.address());
            return new Pending(a.clientId(), a.scope(), UserCodes.display(code));
        } catch (Failure f) {
            audit.refusedDevice("device_verification", null, null, origin, f);
            throw f;
        }
    }

    /** The user signs in and approves: the device's next poll gets tokens for this user. */
    public void approve(String typedCode, String username, Secret password, Origin origin) {
        String clientId = null;
        try {
            String code = canonical(typedCode, origin.address());
            clientId = open(code, origin.address()).clientId();
            User user = users.authenticate(username, password, origin.address());
            if (!store.decide(SecretHash.of(code), true, user.id(), clock.instant())) throw gone("device.user_code_used");
        } catch (Failure f) {
            audit.refusedDevice("device_verification", clientId, username, origin, f);
            throw f;
        }
    }

    /**
     * The user signed in through an upstream identity provider and approves: as {@link #approve},
     * with the sign-in in place of the password. {@code signedIn} is empty when the browser brought
     * no finished upstream sign-in for this very code (none, expired, used, or made for another code).
     */
    public void approveSignedIn(String typedCode, Optional<User> signedIn, Origin origin) {
        String clientId = null;
        try {
            String code = canonical(typedCode, origin.address());
            clientId = open(code, origin.address()).clientId();
            User user = signedIn.orElseThrow(() -> Failure.of(Reason.ACCESS_DENIED,
                    "Your sign-in with the identity provider has expired or was made for another code. Sign in again.")
                    .because("device.upstream_signin_missing"));
            if (user.disabled()) throw Failure.of(Reason.ACCESS_DENIED, "This user is disabled.").because("user.disabled");
            if (!store.decide(SecretHash.of(code), true, user.id(), clock.instant())) throw gone("device.user_code_used");
        } catch (Failure f) {
            audit.refusedDevice("device_verification", clientId, signedIn.map(User::name).orElse(null), origin, f);
            throw f;
        }
    }

    /** Whoever holds the code may refuse it: a user who does not recognise the request should not have to sign in to stop it. */
    public void deny(String typedCode, Origin origin) {
        String clientId = null;
        try {
            String code = canonical(typedCode, origin.address());
            clientId = open(code, origin.address()).clientId();
            if (!store.decide(SecretHash.of(code), false, null, clock.instant())) throw gone("device.user_code_used");
        } catch (Failure f) {
            audit.refusedDevice("device_verification", clientId, null, origin, f);
            throw f;
        }
    }

    private String canonical(String typed, String address) {
        guesses.check(EVERYONE, address);
        String code = UserCodes.normalize(typed);
        if (code == null) {
            throw Failure.invalidRequest("user_code", "That is not a code from a device: it has 8 letters, like BCDF-GHJK.")
                    .because("device.user_code_malformed");
        }
        return code;
    }

    /** A pending, unexpired authorization; a code that matches nothing counts as a guess. */
    private DeviceAuthorization open(String code, String address) {
        DeviceAuthorization a = store.byUserCode(SecretHash.of(code)).orElse(null);
        if (a == null) {
            guesses.failed(EVERYONE, address);
            throw Failure.of(Reason.INVALID_GRANT, "user_code", "That code is not valid. Check it on your device and try again.")
                    .because("device.user_code_unknown");
        }
        if (a.expiredAt(clock.instant())) throw gone("device.user_code_expired");
        if (a.status() != Status.PENDING) throw gone("device.user_code_used");
        return a;
    }

    private static Failure gone(String check) {
        return Failure.of(Reason.INVALID_GRANT, "user_code", "That code has expired or was already used. Start again on your device.")
                .because(check);
    }
}
