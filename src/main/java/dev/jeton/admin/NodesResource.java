package dev.jeton.admin;

import dev.jeton.engine.node.NodeAdmin;
import dev.jeton.model.Failure;
import dev.jeton.model.Node;
import io.helidon.http.Method;

import java.util.HexFormat;

/** The nodes of a fleet: list, add (with a one-time enrolment token), show, disable or enable, remove. */
public final class NodesResource implements AdminResource {
    private final NodeAdmin nodes;

    public NodesResource(NodeAdmin nodes) { this.nodes = nodes; }

    @Override
    public String kind() { return "nodes"; }

    @Override
    public void routes(AdminRoutes routes) {
        routes.read("", call -> call.page(nodes.list(), Node::name, NodeWire::of));
        routes.change(Method.POST, "", call -> {
            NewNodeBody body = call.body(NewNodeBody.class);
            NodeAdmin.Added added = call.changes().addNode(Fields.required("name", body.name()));
            // As stored (times to the millisecond), so that the tag is the one a GET answers.
            Node stored = find(added.node().name());
            call.created(routes.location(stored.name()), new CreatedNode(NodeWire.of(stored), added.enrolToken().value()), etag(stored));
        });
        routes.read("/{name}", call -> {
            Node node = find(call.path("name"));
            call.ok(NodeWire.of(node), etag(node));
        });
        routes.change(Method.PATCH, "/{name}", call -> {
            String name = call.path("name");
            call.requireMatch(etag(find(name)));
            NodePatch patch = call.body(NodePatch.class);
            if (patch.disabled() != null) call.changes().setNodeDisabled(name, patch.disabled());
            Node changed = find(name);
            call.ok(NodeWire.of(changed), etag(changed));
        });
        routes.change(Method.DELETE, "/{name}", call -> {
            call.requireMatch(etag(find(call.path("name"))));
            call.changes().removeNode(call.path("name"));
            call.noContent();
        });
    }

    private Node find(String name) {
        return nodes.show(name).orElseThrow(() -> Failure.notFound("no node named '" + name + "'"));
    }

    /**
     * The agent's key and enrolment token are hidden state (a new enrolment moves the tag); when
     * it was last seen is not, because the agent moves it all day and an admin's If-Match would
     * never hold.
     */
    static String etag(Node node) {
        NodeWire wire = NodeWire.of(node);
        return Etags.of(new NodeWire(wire.name(), wire.disabled(), wire.enrolled(), wire.enrolTokenExpiresAt(), wire.createdAt(),
                wire.enrolledAt(), null), node.publicKey(), node.enrolTokenHash() == null ? null : HexFormat.of().formatHex(node.enrolTokenHash()));
    }

    /** A node as the API shows it: never its enrolment token or the token's hash. */
    record NodeWire(String name, boolean disabled, boolean enrolled, String enrolTokenExpiresAt, String createdAt, String enrolledAt,
                    String lastSeenAt) {
        static NodeWire of(Node n) {
            return new NodeWire(n.name(), n.disabled(), n.enrolled(), n.enrolled() ? null : Fields.time(n.enrolExpiresAt()),
                    Fields.time(n.createdAt()), Fields.time(n.enrolledAt()), Fields.time(n.lastSeenAt()));
        }
    }

    record NewNodeBody(String name) {
    }

    /** The new node and its enrolment token, shown this once: give it to the node's agent. */
    record CreatedNode(@com.fasterxml.jackson.annotation.JsonUnwrapped NodeWire node, String enrolToken) {
    }

    /** Only the fields present change. */
    record NodePatch(Boolean disabled) {
    }
}
