package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.engine.desired.DesiredConfig;
import dev.jeton.engine.desired.Plan;
import dev.jeton.engine.desired.PlanRunner;

import java.util.Map;

/**
 * Plans and makes the changes a configuration file asks for, in one store transaction, audited
 * as actor {@code apply}: a file with one bad entry changes nothing.
 */
final class ConfigApplier {
    static final String ACTOR = "apply";

    record Applied(Plan plan, Map<String, String> newClientSecrets) {
    }

    private ConfigApplier() {
    }

    static Plan plan(AdminWiring wiring, DesiredConfig wanted, boolean prune) {
        return Plan.between(wiring.currentConfig().read(), wanted, prune);
    }

    static Applied apply(AdminWiring wiring, DesiredConfig wanted, boolean prune) {
        return wiring.inOneTransaction(ACTOR, changes -> {
            Plan plan = Plan.between(wiring.currentConfig().read(), wanted, prune);
            return new Applied(plan, new PlanRunner(changes, () -> wiring.rules().list(), System::getenv).run(plan));
        });
    }
}
