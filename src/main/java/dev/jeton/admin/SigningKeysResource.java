package dev.jeton.admin;

import dev.jeton.keys.KeyRing;
import dev.jeton.keys.SigningAlgorithm;
import dev.jeton.model.Failure;
import dev.jeton.model.StoredKey;
import io.helidon.http.Method;

import java.util.Locale;

/**
 * Signing keys: list and show (public parts and states only), rotate (the next key starts
 * signing), retire a retiring key early. Rotation is the store's compare-and-set, so it takes no If-Match.
 */
public final class SigningKeysResource implements AdminResource {
    private final KeyRing keys;
    private final SigningAlgorithm defaultAlgorithm;

    public SigningKeysResource(KeyRing keys, SigningAlgorithm defaultAlgorithm) {
        this.keys = keys;
        this.defaultAlgorithm = defaultAlgorithm;
    }

    @Override
    public String kind() { return "keys"; }

    @Override
    public void routes(AdminRoutes routes) {
        routes.read("", call -> call.page(keys.describe(), StoredKey::kid, KeyWire::of));
        routes.read("/{kid}", call -> {
            KeyWire wire = KeyWire.of(find(call.path("kid")));
            call.ok(wire, Etags.of(wire));
        });
        // Rotation and retirement are compare-and-sets on the keys' states: no transaction needed (see ChangeTransactions).
        routes.changeBySwap(Method.POST, "/rotate", call -> {
            RotateBody body = call.bodyOr(RotateBody.class, new RotateBody(null));
            SigningAlgorithm next = body.algorithm() == null ? defaultAlgorithm : algorithm(body.algorithm());
            call.ok(new Rotated(call.changes().rotateKeys(next)));
        });
        routes.changeBySwap(Method.POST, "/{kid}/retire", call -> {
            String kid = call.path("kid");
            call.requireMatch(Etags.of(KeyWire.of(find(kid))));
            call.changes().retireKey(kid);
            KeyWire wire = KeyWire.of(find(kid));
            call.ok(wire, Etags.of(wire));
        });
    }

    private StoredKey find(String kid) {
        return keys.describe().stream().filter(k -> k.kid().equals(kid)).findFirst()
                .orElseThrow(() -> Failure.notFound("no signing key with kid '" + kid + "'"));
    }

    private static SigningAlgorithm algorithm(String text) {
        try {
            return SigningAlgorithm.parse(text);
        } catch (RuntimeException e) {
            throw Failure.invalidRequest("algorithm", "algorithm must be ES256, RS256 or EdDSA");
        }
    }

    /** {@code state}: next (published, not signing yet), active (signing), retiring (published, not signing), retired. */
    record KeyWire(String kid, String algorithm, String state, String createdAt, String stateChangedAt) {
        static KeyWire of(StoredKey k) {
            return new KeyWire(k.kid(), k.algorithm(), k.state().name().toLowerCase(Locale.ROOT), k.createdAt().toString(),
                    k.stateChangedAt().toString());
        }
    }

    record RotateBody(String algorithm) {
    }

    record Rotated(String activeKid) {
    }
}
