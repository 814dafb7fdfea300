package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.model.AccessRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

@Command(name = "rule", mixinStandardHelpOptions = true,
        description = "Manages registry access rules: who may pull, push or delete which repositories.",
        subcommands = {RuleCommands.Add.class, RuleCommands.ListRules.class, RuleCommands.Delete.class})
public final class RuleCommands {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Allows a subject actions on the repositories matching a glob ('*' any characters, '?' one).",
                    "A running server applies it within recheck-interval.",
                    "Example: jeton rule add --subject group:team-a --repo 'team-a/*' --actions pull,push"})
    static final class Add extends WiringCommand {
        @Option(names = "--subject", required = true, paramLabel = "SUBJECT",
                description = "user:NAME, app:NAME (a client id), group:NAME, identity:NAME (a managed identity), or anonymous "
                        + "(pull only).")
        String subject;
        @Option(names = "--repo", required = true, paramLabel = "PATTERN", description = "Repository name glob, e.g. team-a/* or *.")
        String repo;
        @Option(names = "--actions", required = true, split = ",", paramLabel = "ACTION",
                description = "pull, push, delete, or * (everything, including registry:catalog:* on --repo '*').")
        List<String> actions;
        @Option(names = "--json", description = "Print the rule as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            AccessRule rule = wiring.changes().addRule(subject, repo, new LinkedHashSet<>(actions));
            if (json) {
                Output.json(out, describe(rule));
            } else {
                out.println("added rule " + rule.id() + ": " + rule.subject() + " may " + String.join(",", rule.actions()) + " " + rule.repositoryPattern());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists access rules.")
    static final class ListRules extends WiringCommand {
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            List<AccessRule> rules = wiring.rules().list();
            if (json) {
                Output.json(out, rules.stream().map(RuleCommands::describe).toList());
            } else {
                Output.table(out, List.of("ID", "SUBJECT", "REPOSITORIES", "ACTIONS"), rules.stream().map(r -> List.of(
                        r.id(), r.subject(), r.repositoryPattern(), String.join(",", r.actions()))).toList());
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes an access rule by id.")
    static final class Delete extends WiringCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().deleteRule(id);
            out.println("deleted rule " + id);
            return 0;
        }
    }

    private static Map<String, Object> describe(AccessRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("subject", r.subject());
        m.put("repo", r.repositoryPattern());
        m.put("actions", r.actions());
        return m;
    }
}
