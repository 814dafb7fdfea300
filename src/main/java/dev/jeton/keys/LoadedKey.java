package dev.jeton.keys;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import dev.jeton.model.KeyState;

/**
 * A published key ready to use: its signer is built once, at load, and so are the encoded JWS
 * headers every token it signs starts with (the second also carries its certificate in {@code x5c}).
 */
record LoadedKey(String kid, SigningAlgorithm algorithm, KeyState state, JWK publicJwk, JwsSigner signer, JWSVerifier verifier,
                 String certificatePem, byte[] jwtHeader, byte[] jwtHeaderWithCertificate) {
    LoadedKey withState(KeyState next) {
        return next == state ? this
                : new LoadedKey(kid, algorithm, next, publicJwk, signer, verifier, certificatePem, jwtHeader, jwtHeaderWithCertificate);
    }
}
