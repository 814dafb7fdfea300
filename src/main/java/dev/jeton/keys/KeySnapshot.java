package dev.jeton.keys;

import com.nimbusds.jose.jwk.JWKSet;
import dev.jeton.model.KeyState;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One consistent view of the published keys and the JWKS document built from them. Each
 * algorithm has its own active key: access tokens sign with one, ID tokens with the one their
 * client registered (RS256 unless it chose another).
 */
record KeySnapshot(Map<SigningAlgorithm, LoadedKey> activeByAlgorithm, Map<String, LoadedKey> byKid, String jwksJson) {
    static final KeySnapshot EMPTY = new KeySnapshot(Map.of(), Map.of(), "{\"keys\":[]}");

    static KeySnapshot of(List<LoadedKey> keys) {
        Map<SigningAlgorithm, LoadedKey> active = new EnumMap<>(SigningAlgorithm.class);
        for (LoadedKey k : keys) {
            if (k.state() == KeyState.ACTIVE) active.putIfAbsent(k.algorithm(), k);
        }
        Map<String, LoadedKey> byKid = keys.stream().collect(Collectors.toUnmodifiableMap(LoadedKey::kid, Function.identity()));
        String jwks = new JWKSet(keys.stream().map(LoadedKey::publicJwk).toList()).toString(true);
        return new KeySnapshot(Map.copyOf(active), byKid, jwks);
    }

    LoadedKey active(SigningAlgorithm algorithm) { return activeByAlgorithm.get(algorithm); }

    LoadedKey byKid(String kid) { return byKid.get(kid); }
}
