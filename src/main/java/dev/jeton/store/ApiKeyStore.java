package dev.jeton.store;

import dev.jeton.model.ApiKey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API keys by the SHA-256 of their value. */
public interface ApiKeyStore {
    void add(ApiKey key, byte[] hash);

    Optional<ApiKey> byHash(byte[] hash);

    /** Every key, or only the keys of one user when {@code userId} is not null. */
    List<ApiKey> list(String userId);

    boolean revoke(String id, Instant now);

    /** Sets an active key's scopes and expiry (null: never); false when there is no active key by that id. */
    boolean update(String id, java.util.Set<String> scopes, Instant expiresAt);

    /** Replaces an active key's value by its hash; false when there is no active key by that id. */
    boolean setHash(String id, byte[] hash);
}
