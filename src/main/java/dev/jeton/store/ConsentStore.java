package dev.jeton.store;

import java.time.Instant;
import java.util.Set;

/** Scopes a user approved for a client on the consent page. */
public interface ConsentStore {
    /** Adds the scopes to what the user approved for the client (idempotent). */
    void grant(String userId, String clientId, Set<String> scope, Instant now);

    Set<String> granted(String userId, String clientId);
}
