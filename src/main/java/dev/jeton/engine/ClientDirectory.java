package dev.jeton.engine;

import dev.jeton.model.Client;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.store.ClientStore;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients held in memory, so that authenticating one costs no query. The store's change
 * counter is read at most once per {@code recheck}; when it moved, everything cached is
 * dropped. A change made by another process (a rotated secret, a deleted client) applies here
 * within that bound.
 */
public final class ClientDirectory {
    private final ClientStore store;
    private final Recheck recheck;
    private volatile long version = Long.MIN_VALUE;
    private final Map<String, Optional<Client>> cache = new ConcurrentHashMap<>();
    private final Map<String, Optional<ClientOidcSettings>> oidc = new ConcurrentHashMap<>();
    private final Map<String, Optional<ClientStore.PreviousSecret>> previous = new ConcurrentHashMap<>();
    private final Clock clock;

    public ClientDirectory(ClientStore store, Duration recheck, Clock clock) {
        this.store = store;
        this.recheck = new Recheck(recheck, clock);
        this.clock = clock;
    }

    public Optional<Client> byClientId(String clientId) {
        dropIfChanged();
        Optional<Client> cached = cache.get(clientId);
        if (cached != null) return cached;
        Optional<Client> loaded = store.byClientId(clientId);
        // Unknown ids are not cached: a flood of made-up ids must not grow the map.
        if (loaded.isPresent() && cache.size() < 100_000) cache.put(clientId, loaded);
        return loaded;
    }

    /** The client's OpenID Connect registration (ID token algorithm, authentication method, keys), cached like the client. */
    public Optional<ClientOidcSettings> oidcSettings(String clientId) {
        dropIfChanged();
        Optional<ClientOidcSettings> cached = oidc.get(clientId);
        if (cached != null) return cached;
        Optional<ClientOidcSettings> loaded = store.oidcSettings(clientId);
        if (loaded.isPresent() && oidc.size() < 100_000) oidc.put(clientId, loaded);
        return loaded;
    }

    /**
     * The hash of the secret a rotation with an overlap replaced, while its window lasts. Asked
     * only when the current secret did not match, of known clients only, and cached like them.
     */
    public Optional<byte[]> previousSecretHash(String clientId) {
        dropIfChanged();
        Optional<ClientStore.PreviousSecret> kept = previous.get(clientId);
        if (kept == null) {
            kept = store.previousSecret(clientId);
            if (previous.size() < 100_000) previous.put(clientId, kept);
        }
        return kept.filter(p -> clock.instant().isBefore(p.expiresAt())).map(ClientStore.PreviousSecret::secretHash);
    }

    private void dropIfChanged() {
        if (recheck.due()) {
            long current = store.version();
            if (current != version) {
                cache.clear();
                oidc.clear();
                previous.clear();
                version = current;
            }
        }
    }

    /** Drops everything: for changes made in this process, which must apply at once. */
    public void invalidate() {
        cache.clear();
        oidc.clear();
        previous.clear();
        recheck.now();
    }
}
