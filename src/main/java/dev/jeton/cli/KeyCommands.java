package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.keys.SigningAlgorithm;
import dev.jeton.model.StoredKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "key", mixinStandardHelpOptions = true, description = "Manages signing keys.",
        subcommands = {KeyCommands.ListKeys.class, KeyCommands.Rotate.class, KeyCommands.Retire.class})
public final class KeyCommands {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists signing keys and their states: next (published, not signing yet), active (signing), "
                    + "retiring (published, no longer signing), retired.")
    static final class ListKeys extends WiringCommand {
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            List<StoredKey> keys = wiring.keys().describe();
            if (json) {
                Output.json(out, keys.stream().map(ListKeys::describe).toList());
            } else {
                Output.table(out, List.of("KID", "ALG", "STATE", "CREATED", "STATE_SINCE"), keys.stream().map(k -> List.of(
                        k.kid(), k.algorithm(), k.state().name().toLowerCase(), k.createdAt().toString(),
                        k.stateChangedAt().toString())).toList());
            }
            return 0;
        }

        private static Map<String, Object> describe(StoredKey k) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kid", k.kid());
            m.put("alg", k.algorithm());
            m.put("state", k.state().name().toLowerCase());
            m.put("created_at", k.createdAt().toString());
            m.put("state_changed_at", k.stateChangedAt().toString());
            return m;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Rotates keys: the published 'next' key starts signing, the active one retires, and a new "
                    + "'next' key is published. Verifiers that cached the JWKS already know the new signing key.",
                    "A running server picks the change up within key-reload-interval."})
    static final class Rotate extends WiringCommand {
        @Option(names = "--alg", paramLabel = "ALG", description = "Algorithm of the new 'next' key: ES256, RS256 or EdDSA (default: signing-algorithm).")
        String algorithm;
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            SigningAlgorithm alg = algorithm == null ? wiring.config().signingAlgorithm() : SigningAlgorithm.parse(algorithm);
            String active = wiring.changes().rotateKeys(alg);
            if (json) {
                Output.json(out, Map.of("active_kid", active));
            } else {
                out.println("rotated: " + active + " now signs");
            }
            return 0;
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true,
            description = {"Takes a retiring key out of the JWKS now, instead of after key-retire-after: tokens it signed stop "
                    + "verifying. Only a retiring key can be retired; rotate first to retire the active one.",
                    "Example: jeton key retire KID"})
    static final class Retire extends WiringCommand {
        @picocli.CommandLine.Parameters(paramLabel = "KID") String kid;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().retireKey(kid);
            out.println("retired " + kid);
            return 0;
        }
    }
}
