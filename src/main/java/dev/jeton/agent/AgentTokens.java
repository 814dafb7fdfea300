package dev.jeton.agent;

import dev.jeton.dialect.imds.ManagedIdentitySource;
import dev.jeton.model.Failure;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.Origin;
import dev.jeton.model.Reason;
import dev.jeton.model.TokenRequest;
import dev.jeton.model.TokenRequest.IdentitySelector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The node agent's source of managed-identity tokens: the fleet's servers, behind a cache. A
 * token is served from the cache until five minutes before it expires (as the server's IMDS
 * does); concurrent identical requests make one server call; {@code bypass_cache} and
 * {@code token_sha256_to_refresh} naming the cached token ask anew. While no server can be
 * reached, a cached token is served until it actually expires.
 */
public final class AgentTokens implements ManagedIdentitySource {
    private static final System.Logger LOG = System.getLogger(AgentTokens.class.getName());
    static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);
    private static final int MAX_ENTRIES = 10_000;

    private final ServerClient servers;
    private final Function<String, String> credential;
    private final Clock clock;
    private final Map<Key, IdentityToken> cache = new ConcurrentHashMap<>();
    private final Map<Key, CompletableFuture<IdentityToken>> inFlight = new ConcurrentHashMap<>();

    /** @param credential the client assertion for a server's issuer: signed by the node key, or the node's platform token */
    AgentTokens(ServerClient servers, Function<String, String> credential, Clock clock) {
        this.servers = servers;
        this.credential = credential;
        this.clock = clock;
    }

    @Override
    public IdentityToken token(TokenRequest.ManagedIdentity request, Origin origin) {
        Key key = Key.of(request);
        IdentityToken cached = cache.get(key);
        Instant now = clock.instant();
        boolean named = cached != null && namedAsRefused(cached, request.refreshIfSha256());
        if (servable(cached, request, now)) return cached;
        try {
            return fetch(key, request);
        } catch (Failure f) {
            // The fleet is out of reach, not refusing: a token it gave still holds until it expires.
            if (f.reason() == Reason.UNAVAILABLE && cached != null && !named && now.isBefore(cached.issued().expiresAt())) {
                LOG.log(System.Logger.Level.WARNING, "no server reachable; serving a cached token until it expires at {0}",
                        cached.issued().expiresAt());
                return cached;
            }
            throw f;
        }
    }

    /** One server call per key at a time: later callers wait for the first one's answer. */
    private IdentityToken fetch(Key key, TokenRequest.ManagedIdentity request) {
        CompletableFuture<IdentityToken> mine = new CompletableFuture<>();
        CompletableFuture<IdentityToken> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw e;
            }
        }
        try {
            // A call that ended between this caller's look at the cache and now has left a token it can have.
            IdentityToken landed = cache.get(key);
            if (servable(landed, request, clock.instant())) {
                mine.complete(landed);
                return landed;
            }
            IdentityToken token = servers.token(request, credential);
            if (cache.size() >= MAX_ENTRIES) cache.values().removeIf(t -> !clock.instant().isBefore(t.issued().expiresAt()));
            cache.put(key, token);
            mine.complete(token);
            return token;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    @Override
    public void refused(TokenRequest.ManagedIdentity request, Origin origin, Failure failure) {
        // No audit log on a node: the agent's log says why, the servers' audit logs say who got what.
        // One line per refusal, naming the endpoint (imds, arc, appservice) and the check; never a secret or a token.
        LOG.log(System.Logger.Level.WARNING, "refused a request from {0} at {1}: {2} ({3})", origin.address(), request.dialect(),
                failure.detail(), failure.check());
    }

    /** A cached token this request may be answered with: not bypassed, not named as refused, not near its expiry. */
    private static boolean servable(IdentityToken token, TokenRequest.ManagedIdentity request, Instant now) {
        return token != null && !request.bypassCache() && !namedAsRefused(token, request.refreshIfSha256())
                && now.isBefore(token.issued().expiresAt().minus(REFRESH_BEFORE));
    }

    /** True when the client names the cached token as one a resource refused (MSAL's token_sha256_to_refresh). */
    private static boolean namedAsRefused(IdentityToken cached, String sha256Hex) {
        if (sha256Hex == null) return false;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cached.issued().accessToken().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).equalsIgnoreCase(sha256Hex);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What makes two requests identical: the same identity selector and resource. */
    private record Key(IdentitySelector.Kind kind, String value, String resource) {
        static Key of(TokenRequest.ManagedIdentity r) {
            String value = r.selector().value() == null ? null : r.selector().value().toLowerCase(Locale.ROOT);
            return new Key(r.selector().kind(), value, r.resource());
        }
    }
}
