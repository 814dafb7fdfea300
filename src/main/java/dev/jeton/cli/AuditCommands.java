package dev.jeton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.audit.AuditReader;
import dev.jeton.audit.AuditText;
import dev.jeton.config.AuditConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "audit", mixinStandardHelpOptions = true, description = "Reads the audit log.",
        subcommands = {AuditCommands.Tail.class})
public final class AuditCommands {

    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = {"Shows the last audit events (tokens issued, refused, refreshed, revoked, reuse detected, admin "
                    + "changes), reading the audit file and its rotated predecessors, oldest first.",
                    "Filters combine: --subject alice --event refused shows why alice was refused."})
    static final class Tail implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin ConfigOptions options;
        @Option(names = "-n", paramLabel = "N", description = "How many events to show (default 20).") int count = 20;
        @Option(names = "--json", description = "Print the raw JSON lines.") boolean json;
        @Option(names = {"-f", "--follow"}, description = "Keep printing new events as they are written (Ctrl-C stops).") boolean follow;
        @Option(names = "--subject", paramLabel = "NAME", description = "Only events about this subject (a user, app or identity name, or its id).")
        String subject;
        @Option(names = "--client", paramLabel = "ID", description = "Only events of this client_id.") String client;
        @Option(names = "--event", paramLabel = "EVENT",
                description = "Only this event: issued, refused, refreshed, revoked, reuse_detected, admin.") String event;
        @Option(names = "--dialect", paramLabel = "NAME",
                description = "Only this dialect: oauth2, occam, registry, imds, runai, cli, server.") String dialect;

        @Override
        public Integer call() {
            AuditConfig audit = options.load().audit();
            PrintWriter out = spec.commandLine().getOut();
            if (audit.sink() != AuditConfig.Sink.FILE) {
                throw new IllegalArgumentException("audit-log is " + audit.sink().name().toLowerCase(java.util.Locale.ROOT)
                        + ": there is no audit file to read");
            }
            AuditReader reader = new AuditReader(audit.file(), new AuditReader.Filter(subject, client, event, dialect));
            for (JsonNode line : reader.last(count)) print(out, line);
            out.flush();
            if (follow) reader.follow(line -> {
                print(out, line);
                out.flush();
            });
            return 0;
        }

        private void print(PrintWriter out, JsonNode line) {
            out.println(json ? line.toString() : AuditText.format(line));
        }
    }
}
