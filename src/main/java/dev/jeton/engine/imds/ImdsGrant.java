package dev.jeton.engine.imds;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.jeton.keys.ClaimsJson;
import dev.jeton.keys.KeyRing;
import dev.jeton.model.Failure;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.Issued;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.TokenRequest;
import dev.jeton.model.TokenRequest.IdentitySelector;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.secrets.SecretHash;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * Managed identity tokens shaped like Entra ID's ({@code aud} = resource, per-tenant {@code iss},
 * {@code tid}, {@code oid}, {@code appid}, {@code xms_mirid}). Tokens are cached per (identity,
 * resource) until five minutes before expiry, and concurrent requests for the same pair share
 * one mint: a node's processes often all start at once.
 */
public final class ImdsGrant {
    private static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

    private final NodeIdentities identities;
    private final ManagedIdentityTokens tokens;
    private final Duration ttl;
    private final Clock clock;
    private final AsyncCache<CacheKey, IdentityToken> cache;

    public ImdsGrant(NodeIdentities identities, ManagedIdentityTokens tokens, Duration ttl, Clock clock) {
        this.identities = identities;
        this.tokens = tokens;
        this.ttl = ttl;
        this.clock = clock;
        this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfter(new UntilRefreshDue()).buildAsync();
    }

    public IdentityToken issue(TokenRequest.ManagedIdentity request) {
        return issue(request, identity -> true);
    }

    /** A token for the identity the request names, if {@code allowed} accepts it; any other is "Identity not found". */
    public IdentityToken issue(TokenRequest.ManagedIdentity request, Predicate<ManagedIdentity> allowed) {
        if (request.resource() == null || request.resource().isEmpty()) {
            throw Failure.invalidRequest("resource", "Required audience parameter not specified");
        }
        ManagedIdentity identity = IdentityChoice.choose(identities.node(), identities.identities(), request.selector());
        if (!allowed.test(identity)) {
            // The same answer as for an unassigned identity: a local user learns nothing about identities it may not use.
            throw Failure.invalidRequest("Identity not found").because("identity.not_allowed");
        }
        CacheKey key = new CacheKey(identity.id(), request.resource());
        try {
            if (request.bypassCache()) {
                IdentityToken fresh = mint(identity, request.resource());
                cache.put(key, CompletableFuture.completedFuture(fresh));
                return fresh;
            }
            IdentityToken cached = cache.get(key, k -> mint(identity, request.resource())).join();
            boolean due = !clock.instant().isBefore(cached.issued().expiresAt().minus(REFRESH_BEFORE));
            if (!due && !isRevoked(cached, request.refreshIfSha256())) return cached;
            // Due for refresh by the injected clock even if the cache's own ticker disagrees, or revoked.
            IdentityToken fresh = mint(identity, request.resource());
            cache.put(key, CompletableFuture.completedFuture(fresh));
            return fresh;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /** True when the client names the cached token as one a resource refused (MSAL's token_sha256_to_refresh). */
    private static boolean isRevoked(IdentityToken cached, String sha256Hex) {
        if (sha256Hex == null) return false;
        return HexFormat.of().formatHex(SecretHash.of(cached.issued().accessToken())).equalsIgnoreCase(sha256Hex);
    }

    private IdentityToken mint(ManagedIdentity identity, String resource) {
        return tokens.mint(identity, resource, clock.instant(), ttl);
    }

    private record CacheKey(String identityId, String resource) {
    }

    /** An entry lives until five minutes before its token expires, measured on the injected clock. */
    private final class UntilRefreshDue implements Expiry<CacheKey, IdentityToken> {
        @Override
        public long expireAfterCreate(CacheKey key, IdentityToken value, long currentTime) {
            long nanos = Duration.between(clock.instant(), value.issued().expiresAt().minus(REFRESH_BEFORE)).toNanos();
            return Math.max(0, nanos);
        }

        @Override
        public long expireAfterUpdate(CacheKey key, IdentityToken value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(CacheKey key, IdentityToken value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
