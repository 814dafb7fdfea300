package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.model.ManagedIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "identity", mixinStandardHelpOptions = true,
        description = "Manages managed identities, the principals that workloads on a node get tokens for from IMDS.",
        subcommands = {IdentityCommands.Add.class, IdentityCommands.ListIdentities.class, IdentityCommands.Assign.class,
                IdentityCommands.Unassign.class, IdentityCommands.Delete.class})
public final class IdentityCommands {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds a user-assigned identity (assign it to nodes with 'identity assign'), or with --system-assigned "
                    + "--node NODE the one system-assigned identity of that node.",
                    "Prints its client_id, object_id and resource_id."})
    static final class Add extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant id (the tokens' tid; default all zeros).") String tenant;
        @Option(names = "--resource-id", paramLabel = "ID",
                description = "Azure resource id (default /subscriptions/0.../resourceGroups/jeton/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME).")
        String resourceId;
        @Option(names = "--system-assigned", description = "Make it NODE's system-assigned identity (needs --node).") boolean systemAssigned;
        @Option(names = "--node", paramLabel = "NODE", description = "With --system-assigned: the node it belongs to.") String node;
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            if (systemAssigned != (node != null)) throw new IllegalArgumentException("--system-assigned and --node go together");
            ManagedIdentity identity = wiring.changes().addIdentity(name, tenant, resourceId, node);
            if (json) {
                Output.json(out, describe(identity));
            } else {
                out.println("added " + (identity.systemAssigned() ? "system-assigned" : "user-assigned") + " identity " + identity.name());
                out.println("  client_id:   " + identity.clientId());
                out.println("  object_id:   " + identity.objectId());
                out.println("  resource_id: " + identity.resourceId());
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists managed identities and their nodes.")
    static final class ListIdentities extends WiringCommand {
        @Option(names = "--json", description = "Print as JSON.") boolean json;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            List<ManagedIdentity> all = wiring.identities().list();
            if (json) {
                Output.json(out, all.stream().map(IdentityCommands::describe).toList());
            } else {
                Output.table(out, List.of("NAME", "CLIENT_ID", "NODES", "RESOURCE_ID"), all.stream().map(i -> List.of(i.name(),
                        i.clientId(), i.systemAssigned() ? "system:" + i.systemNode() : String.join(",", i.nodes()), i.resourceId())).toList());
            }
            return 0;
        }
    }

    @Command(name = "assign", mixinStandardHelpOptions = true,
            description = "Assigns a user-assigned identity to a node; its IMDS serves it within recheck-interval.")
    static final class Assign extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--node", required = true, paramLabel = "NODE") String node;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().assignIdentity(name, node);
            out.println("assigned " + name + " to " + node);
            return 0;
        }
    }

    @Command(name = "unassign", mixinStandardHelpOptions = true, description = "Takes a user-assigned identity away from a node.")
    static final class Unassign extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--node", required = true, paramLabel = "NODE") String node;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().unassignIdentity(name, node);
            out.println("unassigned " + name + " from " + node);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a managed identity and its assignments.")
    static final class Delete extends WiringCommand {
        @Parameters(paramLabel = "NAME") String name;

        @Override
        int run(AdminWiring wiring, PrintWriter out) {
            wiring.changes().deleteIdentity(name);
            out.println("deleted identity " + name);
            return 0;
        }
    }

    static Map<String, Object> describe(ManagedIdentity i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("client_id", i.clientId());
        m.put("object_id", i.objectId());
        m.put("resource_id", i.resourceId());
        m.put("tenant_id", i.tenantId());
        m.put("system_assigned_node", i.systemNode());
        m.put("nodes", i.nodes());
        return m;
    }
}
