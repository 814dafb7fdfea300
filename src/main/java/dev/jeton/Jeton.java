package dev.jeton;

import dev.jeton.cli.AotTrainCommand;
import dev.jeton.cli.AuditCommands;
import dev.jeton.cli.ConfigAsCodeCommands;
import dev.jeton.cli.CredentialHelperCommand;
import dev.jeton.cli.ApiKeyCommands;
import dev.jeton.cli.ClientCommands;
import dev.jeton.cli.ConfigCommand;
import dev.jeton.cli.IdentityCommands;
import dev.jeton.cli.InitCommand;
import dev.jeton.cli.KeyCommands;
import dev.jeton.cli.RegistryCommands;
import dev.jeton.cli.RuleCommands;
import dev.jeton.cli.ServeCommand;
import dev.jeton.cli.SessionCommands;
import dev.jeton.cli.StoreCommands;
import dev.jeton.cli.TokenCommands;
import dev.jeton.cli.TrustCommands;
import dev.jeton.cli.NodeCommands;
import dev.jeton.cli.AgentCommand;
import dev.jeton.cli.CredentialProviderCommand;
import dev.jeton.cli.UpstreamCommands;
import dev.jeton.cli.UserCommands;
import dev.jeton.model.Failure;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jeton} command. */
@Command(name = "jeton", mixinStandardHelpOptions = true, version = "jeton 0.1.0",
        description = "Jeton: a self-hosted token service speaking several token APIs over one engine.",
        subcommands = {InitCommand.class, ServeCommand.class, ConfigCommand.class, StoreCommands.Migrate.class, StoreCommands.class, UserCommands.class, ClientCommands.class,
                ApiKeyCommands.class, IdentityCommands.class, RuleCommands.class, AotTrainCommand.class, RegistryCommands.class, KeyCommands.class, TokenCommands.class,
                AuditCommands.class, TrustCommands.class, NodeCommands.class, AgentCommand.class, CredentialProviderCommand.class, CredentialHelperCommand.class, UpstreamCommands.class,
                SessionCommands.class, ConfigAsCodeCommands.Export.class, ConfigAsCodeCommands.Diff.class, ConfigAsCodeCommands.Apply.class})
public final class Jeton {

    public static void main(String[] args) {
        // One line per log record, to stderr; set before the first logger exists.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        System.exit(commandLine(args).execute(args));
    }

    /**
     * The command line for these arguments. A server start builds only {@code jeton serve}:
     * picocli's classes are Java 5 bytecode, which the start-up cache cannot hold, and building
     * every subcommand by reflection in the interpreter costs a server about a tenth of a second.
     */
    public static CommandLine commandLine(String[] args) {
        if (args.length == 0 || !(args[0].equals("serve") || args[0].equals("agent"))) return commandLine();
        CommandLine jeton = new CommandLine(CommandLine.Model.CommandSpec.create().name("jeton"));
        // The node agent starts on every node: it gets the same short path as a server.
        if (args[0].equals("agent")) jeton.addSubcommand("agent", new CommandLine(new AgentCommand()));
        else jeton.addSubcommand("serve", new CommandLine(new ServeCommand()));
        return withErrorHandler(jeton);
    }

    public static CommandLine commandLine() {
        return withErrorHandler(new CommandLine(new Jeton()));
    }

    private static CommandLine withErrorHandler(CommandLine cli) {
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Operator mistakes get one clear line, not a stack trace.
            String message = e instanceof Failure f ? f.detail() : e.getMessage();
            cmd.getErr().println("jeton: " + (message == null ? e.getClass().getSimpleName() : message));
            if (!(e instanceof Failure) && !(e instanceof IllegalArgumentException)) {
                System.getLogger("jeton").log(System.Logger.Level.DEBUG, "command failed", e);
            }
            return 1;
        });
        return cli;
    }
}
