package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.engine.node.NodeAdmin;
import dev.jeton.model.Failure;
import dev.jeton.model.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Manages the nodes of a fleet, each running 'jeton agent', which serves IMDS on the node with the tokens "
                + "of the identities assigned to that node only ('identity assign NAME --node NODE'). See docs/fleet.md."},
        subcommands = {NodeCommands.Add.class, NodeCommands.ListNodes.class, NodeCommands.Show.class, NodeCommands.Disable.class,
                NodeCommands.Enable.class, NodeCommands.Remove.class})
public final class NodeCommands {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds a node and prints its one-time enrolment token (valid 1 hour, single use, shown only now).",
                    "Give it to the node's agent: jeton agent --node NAME --enrol-token-file FILE ..."})
    static final class Add extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--json", description = "Print {\"node\": NAME, \"enrol_token\": TOKEN, \"expires_at\": ...}.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            NodeAdmin.Added added = wiring.changes().addNode(name);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("node", name);
                m.put("enrol_token", added.enrolToken().value());
                m.put("expires_at", added.node().enrolExpiresAt().toString());
                Output.json(out, m);
            } else {
                out.println("added node " + name);
                out.println("  enrol token (single use, until " + added.node().enrolExpiresAt() + "): " + added.enrolToken().value());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the nodes, their state and when each was last seen.")
    static final class ListNodes extends WiringCommand {
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            List<Node> all = wiring.nodes().list();
            if (json) {
                Output.json(out, all.stream().map(NodeCommands::describe).toList());
            } else {
                Output.table(out, List.of("NAME", "STATE", "ENROLLED", "LAST_SEEN"), all.stream().map(n -> List.of(n.name(), state(n),
                        shown(n.enrolledAt()), shown(n.lastSeenAt()))).toList());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one node.")
    static final class Show extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            Node node = wiring.nodes().show(name).orElseThrow(() -> Failure.notFound("no node named " + name));
            if (json) {
                Output.json(out, describe(node));
            } else {
                describe(node).forEach((k, v) -> out.println(k + ": " + (v == null ? "-" : v)));
            }
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Refuses the node's agent from its next request on (on every server); cached tokens on the node live on until they expire.")
    static final class Disable extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().setNodeDisabled(name, true);
            out.println("disabled node " + name);
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Lets a disabled node's agent in again, with the key it enrolled.")
    static final class Enable extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().setNodeDisabled(name, false);
            out.println("enabled node " + name);
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes the node and its enrolled key; its agent is refused at once. Its identity assignments stay.")
    static final class Remove extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().removeNode(name);
            out.println("removed node " + name);
            return 0;
        }
    }

    static Map<String, Object> describe(Node n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", n.name());
        m.put("state", state(n));
        m.put("enrolled", n.enrolled());
        m.put("enrol_token_expires_at", n.enrolled() ? null : shown(n.enrolExpiresAt()));
        m.put("created_at", shown(n.createdAt()));
        m.put("enrolled_at", n.enrolledAt() == null ? null : shown(n.enrolledAt()));
        m.put("last_seen_at", n.lastSeenAt() == null ? null : shown(n.lastSeenAt()));
        return m;
    }

    private static String state(Node n) { return n.disabled() ? "disabled" : "enabled"; }

    private static String shown(Instant t) { return t == null ? "-" : t.toString(); }
}
