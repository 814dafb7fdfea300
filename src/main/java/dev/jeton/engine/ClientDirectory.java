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

    public ClientDirectory(ClientStore store, Duration recheck, Clock clock) {
        this.store = store;
        this.recheck = new Recheck(recheck, clock);
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

    private void dropIfChanged() {
        if (recheck.due()) {
            long current = store.version();
            if (current != version) {
                cache.clear();
                oidc.clear();
                version = current;
            }
        }
    }

    /** Drops everything: for changes made in this process, which must apply at once. */
    public void invalidate() {
        cache.clear();
        oidc.clear();
        recheck.now();
    }
}
