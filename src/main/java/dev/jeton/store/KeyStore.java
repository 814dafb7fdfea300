package dev.jeton.store;

import dev.jeton.model.KeyState;
import dev.jeton.model.StoredKey;

import java.time.Instant;
import java.util.List;

/** Signing keys, with state changes applied as one compare-and-set transaction. */
public interface KeyStore {
    List<StoredKey> keys();

    void insert(StoredKey key);

    /**
     * Applies every change only if each key is still in its {@code from} state, and inserts
     * the {@code added} keys in the same transaction. False when another process moved a
     * key first: nothing was changed.
     */
    boolean transition(List<StateChange> changes, List<StoredKey> added, Instant at);

    record StateChange(String kid, KeyState from, KeyState to) {
    }
}
