package dev.jeton.engine;

import dev.jeton.model.Client;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.store.ClientStore;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Clients held in memory as they are used, so that authenticating one costs no query (the
 * store's unique index on client_id serves the first use). At most {@link #MAX_CLIENTS}
 * clients are held, least recently used go first, so a store of a hundred thousand clients is
 * never in memory at once. The store's change counter is read at most once per
 * {@code recheck}; when it moved, everything cached is dropped. A change made by another
 * process (a rotated secret, a deleted client) applies here within that bound; a client added
 * elsewhere is found at its first use, since unknown ids are never cached.
 */
public final class ClientDirectory {
    /** Clients (and their OpenID Connect settings and previous secrets) held at most; about 1 KiB each. */
    public static final int MAX_CLIENTS = 10_000;

    private final ClientStore store;
    private final Recheck recheck;
    private volatile long version = Long.MIN_VALUE;
    private final Cache<String, Optional<Client>> cache;
    private final Cache<String, Optional<ClientOidcSettings>> oidc;
    private final Cache<String, Optional<ClientStore.PreviousSecret>> previous;
    private final Clock clock;

    public ClientDirectory(ClientStore store, Duration recheck, Clock clock) {
        this(store, recheck, clock, MAX_CLIENTS);
    }

    ClientDirectory(ClientStore store, Duration recheck, Clock clock, int maxClients) {
        this.store = store;
        this.recheck = new Recheck(recheck, clock);
        this.clock = clock;
        this.cache = bounded(maxClients);
        this.oidc = bounded(maxClients);
        this.previous = bounded(maxClients);
    }

    /** Evictions run on the caller's thread (no pool thread to wait for), least recently used first. */
    private static <V> Cache<String, V> bounded(int max) {
        return Caffeine.newBuilder().maximumSize(max).executor(Runnable::run).build();
    }

    /** How many clients are held now. */
    long held() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    public Optional<Client> byClientId(String clientId) {
        dropIfChanged();
        Optional<Client> cached = cache.getIfPresent(clientId);
        if (cached != null) return cached;
        Optional<Client> loaded = store.byClientId(clientId);
        // Unknown ids are not cached: a flood of made-up ids must not evict the clients in use.
        if (loaded.isPresent()) cache.put(clientId, loaded);
        return loaded;
    }

    /** The client's OpenID Connect registration (ID token algorithm, authentication method, keys), cached like the client. */
    public Optional<ClientOidcSettings> oidcSettings(String clientId) {
        dropIfChanged();
        Optional<ClientOidcSettings> cached = oidc.getIfPresent(clientId);
        if (cached != null) return cached;
        Optional<ClientOidcSettings> loaded = store.oidcSettings(clientId);
        if (loaded.isPresent()) oidc.put(clientId, loaded);
        return loaded;
    }

    /**
     * The hash of the secret a rotation with an overlap replaced, while its window lasts. Asked
     * only when the current secret did not match, of known clients only, and cached like them.
     */
    public Optional<byte[]> previousSecretHash(String clientId) {
        dropIfChanged();
        Optional<ClientStore.PreviousSecret> kept = previous.getIfPresent(clientId);
        if (kept == null) {
            kept = store.previousSecret(clientId);
            previous.put(clientId, kept);
        }
        return kept.filter(p -> clock.instant().isBefore(p.expiresAt())).map(ClientStore.PreviousSecret::secretHash);
    }

    private void dropIfChanged() {
        if (recheck.due()) {
            long current = store.version();
            if (current != version) {
                cache.invalidateAll();
                oidc.invalidateAll();
                previous.invalidateAll();
                version = current;
            }
        }
    }

    /** Drops everything: for changes made in this process, which must apply at once. */
    public void invalidate() {
        cache.invalidateAll();
        oidc.invalidateAll();
        previous.invalidateAll();
        recheck.now();
    }
}
