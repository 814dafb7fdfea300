package dev.jeton.engine.refresh;

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
import dev.jeton.store.RefreshStore.Rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Opens refresh families and redeems their tokens by policy. Tokens are 256-bit values, random
 * but for their issue time, stored as their {@link TokenKey} (half of the bits, and the SHA-256
 * of all); every store call here returns after the change is durable, so a token is never
 * handed out before the store knows it.
 */
public final class RefreshTokens {
    private static final System.Logger LOG = System.getLogger(RefreshTokens.class.getName());

    private final RefreshStore store;
    private final RandomTokens random;
    private final Duration familyTtl;
    private final Duration grace;

    public RefreshTokens(RefreshStore store, RandomTokens random, Duration familyTtl, Duration grace) {
        this.store = store;
        this.random = random;
        this.familyTtl = familyTtl;
        this.grace = grace;
    }

    public Opened open(Subject subject, String clientId, String dialect, RefreshPolicy policy, Set<String> scope,
                       String audience, Duration tokenTtl, Instant now) {
        Instant familyExpiry = now.plus(familyTtl);
        Instant tokenExpiry = earlier(now.plus(tokenTtl), familyExpiry);
        RefreshFamily family = new RefreshFamily(random.id(), subject, clientId, dialect, policy, scope, audience, now, familyExpiry);
        Secret token = random.timeOrderedSecret(now);
        store.open(family, TokenKey.of(token), tokenExpiry);
        return new Opened(family, token, tokenExpiry);
    }

    /**
     * Redeems a token presented by {@code clientId}. Rotating families hand back a new token;
     * reusable ones hand back null and stay as they are.
     */
    public Redeemed redeem(Secret presented, String clientId, Duration tokenTtl, Instant now) {
        // One store call: the checks, the compare-and-set and the new token in one transaction.
        Secret next = random.timeOrderedSecret(now);
        Instant nextExpiry = now.plus(tokenTtl);
        Rotation rotation = store.rotate(TokenKey.of(presented), clientId, TokenKey.of(next), nextExpiry, now, grace);
        RefreshFamily family = rotation.family();
        return switch (rotation.outcome()) {
            case ROTATED, RETRY -> new Redeemed(family, next, earlier(nextExpiry, family.expiresAt()), rotation.userActive());
            case VALID -> new Redeemed(family, null, family.expiresAt(), rotation.userActive());
            case REUSED -> {
                boolean revoked = family.policy() != RefreshPolicy.ROTATING_LENIENT;
                LOG.log(System.Logger.Level.WARNING, "refresh token reuse in family {0} (subject {1}){2}",
                        family.id(), family.subject().id(), revoked ? ": family revoked" : "");
                throw Failure.of(Reason.INVALID_GRANT, Code.REFRESH_REUSED, revoked
                        ? "refresh token was already used; its whole family is now revoked" : "refresh token was already used");
            }
            case WRONG_CLIENT -> {
                // RFC 6749 6: the token must have been issued to the client that presents it. A stranger may not burn it.
                LOG.log(System.Logger.Level.INFO, "client {0} presented a refresh token of client {1}", clientId, family.clientId());
                throw Failure.invalidGrant("refresh token was issued to another client").because("refresh.wrong_client");
            }
            case REVOKED -> throw revoked();
            case EXPIRED -> throw expired();
            case UNKNOWN -> throw unknown();
        };
    }

    private static Failure unknown() { return Failure.of(Reason.INVALID_GRANT, Code.REFRESH_UNKNOWN, "refresh token is invalid"); }

    private static Failure expired() { return Failure.of(Reason.INVALID_GRANT, Code.REFRESH_EXPIRED, "refresh token has expired"); }

    private static Failure revoked() { return Failure.of(Reason.INVALID_GRANT, Code.REFRESH_REVOKED, "refresh token has been revoked"); }

    /** The client a refresh token was issued to, for dialects whose refresh requests name no client. */
    public java.util.Optional<String> clientOf(Secret token) {
        return store.find(TokenKey.of(token)).map(state -> state.family().clientId());
    }

    private static Instant earlier(Instant a, Instant b) { return a.isBefore(b) ? a : b; }

    public record Opened(RefreshFamily family, Secret token, Instant expiresAt) {
    }

    /**
     * {@code token} is null when the family is reusable: the presented token stays valid.
     * {@code userActive} is the store's answer when it read the user along with the rotation, else null.
     */
    public record Redeemed(RefreshFamily family, Secret token, Instant expiresAt, Boolean userActive) {
    }
}
