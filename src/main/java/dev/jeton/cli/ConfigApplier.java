package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.engine.desired.DesiredConfig;
import dev.jeton.engine.desired.Plan;
import dev.jeton.engine.desired.PlanRunner;
import dev.jeton.engine.desired.SecretReferences;
import dev.jeton.model.Secret;

import java.util.Map;

/**
 * Plans and makes the changes a configuration file asks for, in one store transaction, audited
 * as actor {@code apply}: a file with one bad entry changes nothing.
 */
final class ConfigApplier {
    static final String ACTOR = "apply";

    record Applied(Plan plan, PlanRunner.Revealed revealed) {
        Map<String, String> newClientSecrets() { return revealed.clientSecrets(); }

        Map<String, String> newNodeTokens() { return revealed.nodeTokens(); }

        Map<String, String> newApiKeys() { return revealed.apiKeys(); }
    }

    private ConfigApplier() {
    }

    private static final SecretReferences REFERENCES = new SecretReferences(System::getenv);

    static Plan plan(AdminWiring wiring, DesiredConfig wanted, boolean prune) {
        return Plan.between(wiring.currentConfig().read(), wanted, prune, secretDiffers(wiring), PlanRunner.apiKeyDiffers(wiring.apiKeys(), REFERENCES));
    }

    /** A referenced client secret differs when the stored hash is not its hash; the secret is never stored or shown. */
    private static java.util.function.Predicate<DesiredConfig.ClientEntry> secretDiffers(AdminWiring wiring) {
        return e -> {
            Secret s = REFERENCES.read("client " + e.clientId() + ": secret", e.secretEnv(), e.secretFile());
            return s != null && !wiring.accounts().clientSecretIs(e.clientId(), s);
        };
    }

    static Applied apply(AdminWiring wiring, DesiredConfig wanted, boolean prune) {
        return wiring.inOneTransaction(ACTOR, changes -> {
            Plan plan = plan(wiring, wanted, prune);
            return new Applied(plan, new PlanRunner(changes, () -> wiring.rules().list(), wiring.apiKeys(), REFERENCES).run(plan));
        });
    }
}
