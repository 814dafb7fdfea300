package dev.jeton.cli;

import dev.jeton.AdminWiring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Creates the data directory, database, master key and signing keys, plus an admin user and a demo "
                + "client whose secrets are printed once. Does nothing to an existing data directory.")
public final class InitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions options;

    @Option(names = "--json", description = "Print the created credentials as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (AdminWiring wiring = new AdminWiring(options.load(), Clock.systemUTC())) {
            wiring.keys(); // init makes the master key and signing keys; other commands only open the store
            var created = wiring.firstRun().seedIfEmpty();
            if (created.isPresent()) {
                wiring.adminAudit().changed("init", wiring.config().dataDir().toAbsolutePath().toString(),
                        "created user " + created.get().adminUser() + " and client " + created.get().demoClientId());
                CredentialsPrinter.print(out, created.get(), json);
            } else if (json) {
                Output.json(out, Map.of("initialized", false));
            } else {
                out.println("already initialised: " + wiring.config().dataDir().toAbsolutePath());
            }
        }
        out.flush();
        return 0;
    }
}
