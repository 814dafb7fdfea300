package dev.jeton.keys;

import com.nimbusds.jose.jwk.JWKSet;
import dev.jeton.model.KeyState;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One consistent view of the published keys and the JWKS document built from them. */
record KeySnapshot(LoadedKey active, Map<String, LoadedKey> byKid, String jwksJson) {
    static final KeySnapshot EMPTY = new KeySnapshot(null, Map.of(), "{\"keys\":[]}");

    static KeySnapshot of(List<LoadedKey> keys) {
        LoadedKey active = keys.stream().filter(k -> k.state() == KeyState.ACTIVE).findFirst().orElse(null);
        Map<String, LoadedKey> byKid = keys.stream().collect(Collectors.toUnmodifiableMap(LoadedKey::kid, Function.identity()));
        String jwks = new JWKSet(keys.stream().map(LoadedKey::publicJwk).toList()).toString(true);
        return new KeySnapshot(active, byKid, jwks);
    }

    LoadedKey byKid(String kid) { return byKid.get(kid); }
}
