package dev.jeton.model;

import java.time.Instant;

/** A signing key as the store holds it: public JWK in JSON, private key encrypted, self-signed certificate in PEM. */
public record StoredKey(
        String kid,
        String algorithm,
        KeyState state,
        String publicJwk,
        byte[] encryptedPrivateKey,
        String certificatePem,
        Instant createdAt,
        Instant stateChangedAt) {

    public StoredKey withState(KeyState next, Instant at) {
        return new StoredKey(kid, algorithm, next, publicJwk, encryptedPrivateKey, certificatePem, createdAt, at);
    }
}
