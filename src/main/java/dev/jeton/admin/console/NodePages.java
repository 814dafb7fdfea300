package dev.jeton.admin.console;

import dev.jeton.engine.node.NodeAdmin;
import dev.jeton.model.Failure;
import dev.jeton.model.Node;
import io.helidon.http.Method;

import java.util.ArrayList;
import java.util.List;

import static dev.jeton.admin.console.Html.esc;
import static dev.jeton.admin.console.Html.seg;

/** Nodes: the list, adding one (its enrolment token shown once), disabling or enabling, and removing one. */
final class NodePages implements ConsolePages {
    private static final String KIND = "nodes";
    private final NodeAdmin nodes;

    NodePages(NodeAdmin nodes) { this.nodes = nodes; }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/nodes", this::list);
        routes.add(Method.POST, "/nodes", call -> {
            NodeAdmin.Added added = call.changes(KIND).addNode(call.field("name", true));
            call.page("Node " + added.node().name() + " added", """
                    <h1>Node %s added</h1><p>Copy the enrolment token now: it is shown this once, works once, and expires in %d minutes.</p>
                    <p><label for="secret">Enrolment token</label><output id="secret" class="secret">%s</output></p><p>%s</p>"""
                    .formatted(esc(added.node().name()), NodeAdmin.ENROL_TOKEN_TTL.toMinutes(), esc(added.enrolToken().value()),
                            Html.link("/console/nodes", "All nodes")));
        });
        routes.add(Method.POST, "/nodes/{name}/disabled", call -> {
            dev.jeton.engine.AdminChanges changes = call.changes(KIND);
            String value = call.field("disabled", true);
            if (!value.equals("true") && !value.equals("false")) throw Failure.invalidRequest("disabled", "disabled must be true or false");
            Node node = nodes.show(call.path("name")).orElseThrow(() -> Failure.notFound("no node named '" + call.path("name") + "'"));
            call.requireVersion("Node " + node.name(), dev.jeton.admin.Versions.of(node), "/console/nodes");
            changes.setNodeDisabled(call.path("name"), Boolean.parseBoolean(value));
            call.seeOther("/console/nodes");
        });
        routes.add(Method.POST, "/nodes/{name}/delete", call -> {
            call.changes(KIND).removeNode(call.path("name"));
            call.seeOther("/console/nodes");
        });
    }

    private void list(ConsoleCall call) {
        call.mayRead(KIND);
        boolean change = call.mayChange(KIND);
        List<List<String>> rows = new ArrayList<>();
        for (Node n : nodes.list()) {
            String actions = !change ? "" : """
                    <form class="inline" method="post" action="/console/nodes/%1$s/disabled">%2$s%6$s<input type="hidden" name="disabled" value="%3$s">\
                    <button type="submit" aria-label="%4$s node %5$s">%4$s</button></form>
                    <form class="inline" method="post" action="/console/nodes/%1$s/delete">%2$s<button type="submit" aria-label="Remove node %5$s">Remove</button></form>"""
                    .formatted(seg(n.name()), Html.csrf(call.session()), !n.disabled(), n.disabled() ? "Enable" : "Disable", esc(n.name()),
                            Html.version(dev.jeton.admin.Versions.of(n)));
            rows.add(List.of(esc(n.name()), n.disabled() ? "disabled" : "active",
                    n.enrolled() ? "enrolled " + esc(String.valueOf(n.enrolledAt())) : "waiting for enrolment",
                    n.lastSeenAt() == null ? "never" : esc(n.lastSeenAt().toString()), actions));
        }
        String form = !change ? "" : """
                <form class="card" method="post" action="/console/nodes"><h2>Add a node</h2>%s%s
                <button type="submit">Add node</button></form>""".formatted(Html.csrf(call.session()), Html.field("name", "Node name", null, true));
        call.page("Nodes", "<h1>Nodes</h1>" + Html.table("Nodes of the fleet", List.of("Node", "State", "Enrolment", "Last seen", "Actions"), rows) + form);
    }
}
