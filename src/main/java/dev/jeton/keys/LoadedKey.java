package dev.jeton.keys;

import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import dev.jeton.model.KeyState;
import com.nimbusds.jose.util.Base64;

import java.util.List;

/** A published key ready to use: its signer is built once, at load; {@code x5c} is its certificate chain. */
record LoadedKey(String kid, SigningAlgorithm algorithm, KeyState state, JWK publicJwk, JWSSigner signer, JWSVerifier verifier,
                 String certificatePem, List<Base64> x5c) {
    LoadedKey withState(KeyState next) {
        return next == state ? this : new LoadedKey(kid, algorithm, next, publicJwk, signer, verifier, certificatePem, x5c);
    }
}
