package dev.jeton.cli;

import dev.jeton.config.JetonConfig;
import dev.jeton.store.Databases;
import dev.jeton.store.jdbc.Database;
import dev.jeton.store.jdbc.Migrations;
import dev.jeton.store.jdbc.StoreCopy;
import dev.jeton.store.postgres.StoreUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "store", mixinStandardHelpOptions = true, description = "Moves data between stores.",
        subcommands = {StoreCommands.Copy.class})
public final class StoreCommands {

    @Command(name = "copy", mixinStandardHelpOptions = true,
            description = {"Copies everything (users, clients, keys, refresh tokens, rules, identities, codes) from one store into "
                    + "a new, empty one in a single transaction, so moving from the embedded SQLite to PostgreSQL loses no token.",
                    "Stop the servers first, and keep the same master key: the signing keys stay encrypted with it.",
                    "Example: jeton store copy --from sqlite:jeton-data/jeton.db --to postgresql://jeton@db:5432/jeton"})
    static final class Copy implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions options;
        @Option(names = "--from", required = true, paramLabel = "URL", description = "sqlite:PATH or postgresql://...") String from;
        @Option(names = "--to", required = true, paramLabel = "URL", description = "sqlite:PATH or postgresql://... (must be empty)") String to;

        @Override
        public Integer call() {
            JetonConfig config = options.load();
            PrintWriter out = spec.commandLine().getOut();
            try (Database source = Databases.open(from, config.storePassword(), 2, config.databaseFile());
                 Database target = Databases.open(to, config.storePassword(), 2, config.databaseFile())) {
                Map<String, Integer> copied = StoreCopy.copy(source, target);
                copied.forEach((table, n) -> out.printf("%-24s %d%n", table, n));
                out.println("copied " + StoreUrl.masked(from) + " to " + StoreUrl.masked(to));
            }
            out.flush();
            return 0;
        }
    }

    /** {@code jeton migrate}: brings a store's schema up to date and exits. */
    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Applies pending schema migrations to the store (every command and 'serve' also do this on start).",
                    "Refuses, naming the file, when a migration the store has applied was edited since or is not in this build."})
    public static final class Migrate implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions options;

        @Override
        public Integer call() {
            JetonConfig config = options.load();
            try (Database db = Databases.open(config.store(), config.storePassword(), 2, config.databaseFile())) {
                int applied = Migrations.BUNDLED.apply(db);
                spec.commandLine().getOut().println("applied " + applied + " migration" + (applied == 1 ? "" : "s")
                        + "; schema is at version " + Migrations.BUNDLED.latest());
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
