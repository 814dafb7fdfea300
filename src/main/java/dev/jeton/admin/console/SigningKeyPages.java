package dev.jeton.admin.console;

import dev.jeton.keys.KeyRing;
import dev.jeton.keys.SigningAlgorithm;
import dev.jeton.model.Failure;
import dev.jeton.model.StoredKey;
import io.helidon.http.Method;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.jeton.admin.console.Html.esc;
import static dev.jeton.admin.console.Html.seg;

/** Signing keys: the list (public parts and states only), rotating (the next key starts signing), retiring a retiring key early. */
final class SigningKeyPages implements ConsolePages {
    private static final String KIND = "keys";
    private final KeyRing keys;
    private final SigningAlgorithm defaultAlgorithm;

    SigningKeyPages(KeyRing keys, SigningAlgorithm defaultAlgorithm) {
        this.keys = keys;
        this.defaultAlgorithm = defaultAlgorithm;
    }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/keys", this::list);
        routes.add(Method.POST, "/keys/rotate", call -> {
            String text = call.field("algorithm", false);
            call.changes(KIND).rotateKeys(text == null ? defaultAlgorithm : algorithm(text));
            call.seeOther("/console/keys");
        });
        routes.add(Method.POST, "/keys/{kid}/retire", call -> {
            String kid = call.path("kid");
            dev.jeton.engine.AdminChanges changes = call.changes(KIND);
            keys.describe().stream().filter(k -> k.kid().equals(kid)).findFirst()
                    .orElseThrow(() -> Failure.notFound("no signing key with kid '" + kid + "'"));
            changes.retireKey(kid);
            call.seeOther("/console/keys");
        });
    }

    private void list(ConsoleCall call) {
        call.mayRead(KIND);
        boolean change = call.mayChange(KIND);
        List<List<String>> rows = new ArrayList<>();
        for (StoredKey k : keys.describe()) {
            String state = k.state().name().toLowerCase(Locale.ROOT);
            String retire = !change || !"retiring".equals(state) ? "" : """
                    <form class="inline" method="post" action="/console/keys/%s/retire">%s<button type="submit" aria-label="Retire now: key %s">Retire now</button></form>"""
                    .formatted(seg(k.kid()), Html.csrf(call.session()), esc(k.kid()));
            rows.add(List.of(esc(k.kid()), esc(k.algorithm()), esc(state), esc(String.valueOf(k.createdAt())),
                    esc(String.valueOf(k.stateChangedAt())), retire));
        }
        String form = !change ? "" : """
                <form class="card" method="post" action="/console/keys/rotate"><h2>Rotate</h2>%s
                <p>The next key starts signing; the active one keeps being published until it retires.</p>
                <label for="algorithm">Algorithm of the new next key</label><select id="algorithm" name="algorithm">
                <option value="">Default (%s)</option><option>ES256</option><option>RS256</option><option>EdDSA</option></select>
                <button type="submit">Rotate signing keys</button></form>""".formatted(Html.csrf(call.session()), esc(defaultAlgorithm.toString()));
        call.page("Signing keys", "<h1>Signing keys</h1>"
                + Html.table("Signing keys and their states", List.of("Key ID", "Algorithm", "State", "Created", "State since", "Actions"), rows) + form);
    }

    private static SigningAlgorithm algorithm(String text) {
        try {
            return SigningAlgorithm.parse(text);
        } catch (RuntimeException e) {
            throw Failure.invalidRequest("algorithm", "algorithm must be ES256, RS256 or EdDSA");
        }
    }
}
