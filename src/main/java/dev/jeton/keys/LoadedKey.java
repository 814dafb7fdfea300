package dev.jeton.keys;

import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import dev.jeton.model.KeyState;

/** A published key ready to use: its signer is built once, at load. */
record LoadedKey(String kid, SigningAlgorithm algorithm, KeyState state, JWK publicJwk, JWSSigner signer, JWSVerifier verifier) {
    LoadedKey withState(KeyState next) {
        return next == state ? this : new LoadedKey(kid, algorithm, next, publicJwk, signer, verifier);
    }
}
