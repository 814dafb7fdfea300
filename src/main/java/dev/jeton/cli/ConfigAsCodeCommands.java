package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.engine.desired.Change;
import dev.jeton.engine.desired.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code jeton export}, {@code jeton diff} and {@code jeton apply}: the configuration as a YAML file (docs/config-as-code.md). */
public final class ConfigAsCodeCommands {
    /** {@code jeton diff}'s exit code when apply would change something (1 is an error, as for every command). */
    public static final int CHANGES = 2;

    private ConfigAsCodeCommands() {
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes the whole configuration (users, API keys, nodes, upstreams, clients, managed identities, trust policies, "
                    + "registry rules) as YAML, in a stable order. Never a secret or a hash: for apply, reference them with "
                    + "passwordEnv/passwordFile (user), secretEnv/secretFile (API key, client), clientSecretEnv/clientSecretFile (upstream). "
                    + "Runtime state (tokens, sessions, consents, signing keys, revoked keys) is not configuration and is not written.")
    public static final class Export extends WiringCommand {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.") Path output;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            String yaml = ConfigYaml.write(wiring.currentConfig().read());
            if (output == null) {
                out.print(yaml);
                return 0;
            }
            try {
                Files.writeString(output, yaml);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot write " + output + ": " + e.getMessage());
            }
            return 0;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Prints what 'jeton apply -f FILE' would change (+ create, ~ update with each field, - delete). "
                    + "Exit code 0: nothing would change; 2: something would; 1: an error (such as an invalid file).")
    public static final class Diff extends WiringCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The configuration file (YAML).") Path file;
        @Option(names = "--prune", description = "Also show what --prune would delete.") boolean prune;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            Plan plan = ConfigApplier.plan(wiring, ConfigYaml.parse(ConfigYaml.read(file), file.toString()), prune);
            if (plan.isEmpty()) {
                out.println("no changes");
                return 0;
            }
            plan.changes().forEach(c -> out.println(c.describe()));
            return CHANGES;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Makes the configuration what FILE says, in one transaction (all of it or, on any error, none), each change "
                    + "audited as actor 'apply'. Applying the same file again changes nothing. Resources the file leaves out stay, "
                    + "unless --prune (users always stay). A new confidential client's secret, a new API key without a reference and a "
                    + "new node's enrolment token are printed once.")
    public static final class Apply extends WiringCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The configuration file (YAML).") Path file;
        @Option(names = "--prune", description = "Delete the clients, nodes, upstreams, identities, trust policies and rules the file "
                + "leaves out, and revoke the API keys it leaves out (users always stay).") boolean prune;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            ConfigApplier.Applied applied = ConfigApplier.apply(wiring, ConfigYaml.parse(ConfigYaml.read(file), file.toString()), prune);
            if (applied.plan().isEmpty()) {
                out.println("no changes");
                return 0;
            }
            applied.plan().changes().stream().map(Change::describe).forEach(out::println);
            applied.newClientSecrets().forEach((client, secret) -> out.println("client " + client + " secret (shown once): " + secret));
            applied.newNodeTokens().forEach((node, token) -> out.println("node " + node + " enrolment token (shown once): " + token));
            applied.newApiKeys().forEach((key, value) -> out.println("api key " + key + " (shown once): " + value));
            out.println("applied " + applied.plan().changes().size() + " change(s)");
            return 0;
        }
    }
}
