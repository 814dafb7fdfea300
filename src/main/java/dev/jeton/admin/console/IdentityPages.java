package dev.jeton.admin.console;

import dev.jeton.engine.imds.ManagedIdentities;
import dev.jeton.engine.node.NodeAdmin;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.Node;
import io.helidon.http.Method;

import java.util.ArrayList;
import java.util.List;

import static dev.jeton.admin.console.Html.esc;
import static dev.jeton.admin.console.Html.seg;

/** Managed identities: the list with their nodes, and assigning one to a node. */
final class IdentityPages implements ConsolePages {
    private static final String KIND = "identities";
    private final ManagedIdentities identities;
    private final NodeAdmin nodes;

    IdentityPages(ManagedIdentities identities, NodeAdmin nodes) {
        this.identities = identities;
        this.nodes = nodes;
    }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/identities", this::list);
        routes.add(Method.POST, "/identities/{name}/nodes", call -> {
            dev.jeton.engine.AdminChanges changes = call.changes(KIND);
            String name = call.path("name");
            String node = call.field("node", true);
            ManagedIdentity identity = identities.list().stream().filter(i -> i.name().equals(name)).findFirst()
                    .orElseThrow(() -> dev.jeton.model.Failure.notFound("no managed identity named '" + name + "'"));
            call.requireVersion("Identity " + name, dev.jeton.admin.Versions.of(identity), "/console/identities");
            changes.assignIdentity(name, node);
            call.seeOther("/console/identities");
        });
    }

    private void list(ConsoleCall call) {
        call.mayRead(KIND);
        boolean change = call.mayChange(KIND);
        List<List<String>> rows = new ArrayList<>();
        for (ManagedIdentity i : identities.list()) {
            String assign = !change || i.systemAssigned() ? "" : """
                    <form class="inline" method="post" action="/console/identities/%s/nodes">%s%s<label for="node-%s">Node</label>
                    <input id="node-%s" name="node" list="known-nodes" required><button type="submit">Assign</button></form>"""
                    .formatted(seg(i.name()), Html.csrf(call.session()), Html.version(dev.jeton.admin.Versions.of(i)), esc(i.name()), esc(i.name()));
            rows.add(List.of(Html.link("/console/principals/identities/" + seg(i.name()), i.name()), esc(i.clientId()),
                    i.systemAssigned() ? "system-assigned on " + esc(i.systemNode()) : esc(String.join(", ", i.nodes())), assign));
        }
        StringBuilder known = new StringBuilder("<datalist id=\"known-nodes\">");
        for (Node n : nodes.list()) known.append("<option value=\"").append(esc(n.name())).append("\">");
        known.append("</datalist>");
        call.page("Managed identities", "<h1>Managed identities</h1>"
                + Html.table("Identities and the nodes they are assigned to", List.of("Identity", "Client ID", "Nodes", "Actions"), rows) + known);
    }
}
