package dev.jeton.engine.clientauth;

import dev.jeton.keys.MasterKey;
import dev.jeton.model.Secret;
import dev.jeton.store.ClientStore;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Client secrets kept for {@code client_secret_jwt} (OIDC Core 9), whose HMAC key is the secret
 * itself: encrypted with the master key (AES-GCM, the client id as associated data, so a sealed
 * secret cannot be moved to another client), only for clients registered for that method.
 */
public final class SealedSecrets {
    private final ClientStore clients;
    private final MasterKey masterKey;

    public SealedSecrets(ClientStore clients, MasterKey masterKey) {
        this.clients = clients;
        this.masterKey = masterKey;
    }

    public void keep(String clientId, Secret secret) {
        clients.setSealedSecret(clientId, masterKey.encrypt(secret.value().getBytes(StandardCharsets.UTF_8), "client-secret:" + clientId));
    }

    public void forget(String clientId) {
        clients.setSealedSecret(clientId, null);
    }

    public boolean has(String clientId) {
        return clients.sealedSecret(clientId) != null;
    }

    /** The secret's bytes (the HMAC key), when one is kept. */
    Optional<byte[]> macKey(String clientId) {
        byte[] sealed = clients.sealedSecret(clientId);
        return sealed == null ? Optional.empty() : Optional.of(masterKey.decrypt(sealed, "client-secret:" + clientId));
    }
}
