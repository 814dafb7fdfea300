package dev.jeton.store;

import dev.jeton.model.Client;

import java.util.List;
import java.util.Optional;

/** Applications that authenticate with a client id and secret. */
public interface ClientStore {
    /** Fails with CONFLICT when the client id is taken. */
    void add(Client client);

    Optional<Client> byClientId(String clientId);

    List<Client> list();

    /** Whether there is at least one client: one row read, whatever the size of the table (start-up asks it). */
    boolean any();

    boolean replaceSecret(String clientId, byte[] secretHash);

    /**
     * Replaces the secret and, in the same transaction, keeps the one it replaces as the previous
     * secret until {@code previousUntil} (null: the old secret stops working at once). A public
     * client has no secret to keep. False when there is no such client.
     */
    boolean replaceSecret(String clientId, byte[] secretHash, java.time.Instant previousUntil);

    /** The secret replaced by the last rotation and when it stops working, when one was kept. */
    Optional<PreviousSecret> previousSecret(String clientId);

    /** A secret's hash that still authenticates its client until {@code expiresAt}. */
    record PreviousSecret(byte[] secretHash, java.time.Instant expiresAt) {
    }

    boolean setRefreshPolicy(String clientId, dev.jeton.model.RefreshPolicy policy);

    /** Replaces the grants, scopes, audiences, redirect URIs, lifetimes and refresh policy of {@code client} (by its client id). */
    boolean updateSettings(Client client);

    /** The client's OpenID Connect registration; DEFAULT when it set none. Empty when there is no such client. */
    Optional<dev.jeton.model.ClientOidcSettings> oidcSettings(String clientId);

    boolean setOidcSettings(String clientId, dev.jeton.model.ClientOidcSettings settings);

    /** The client's secret encrypted with the master key, kept only for client_secret_jwt; null when none. */
    byte[] sealedSecret(String clientId);

    boolean setSealedSecret(String clientId, byte[] sealed);

    /** Changes with every change to any client, in any process. One indexed read. */
    long version();

    /** Deletes the client and revokes every refresh family issued to it. */
    boolean delete(String clientId, java.time.Instant now);
}
