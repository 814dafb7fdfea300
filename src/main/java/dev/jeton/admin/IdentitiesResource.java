package dev.jeton.admin;

import dev.jeton.engine.imds.ManagedIdentities;
import dev.jeton.model.Failure;
import dev.jeton.model.ManagedIdentity;
import io.helidon.http.Method;

import java.util.List;

/** Managed identities and the nodes they are assigned to: list, add, show, delete, assign (PUT) and unassign (DELETE) a node. */
public final class IdentitiesResource implements AdminResource {
    private final ManagedIdentities identities;

    public IdentitiesResource(ManagedIdentities identities) { this.identities = identities; }

    @Override
    public String kind() { return "identities"; }

    @Override
    public void routes(AdminRoutes routes) {
        routes.read("", call -> call.page(identities.list(), ManagedIdentity::name, IdentityWire::of));
        routes.change(Method.POST, "", call -> {
            NewIdentityBody body = call.body(NewIdentityBody.class);
            Fields.required("name", body.name());
            IdentityWire wire = IdentityWire.of(find(call.changes().addIdentity(body.name(), body.tenantId(), body.resourceId(),
                    body.systemAssignedNode()).name()));
            call.created(routes.location(wire.name()), wire, Etags.of(wire));
        });
        routes.read("/{name}", call -> {
            IdentityWire wire = IdentityWire.of(find(call.path("name")));
            call.ok(wire, Etags.of(wire));
        });
        routes.change(Method.DELETE, "/{name}", call -> {
            call.requireMatch(Etags.of(IdentityWire.of(find(call.path("name")))));
            call.changes().deleteIdentity(call.path("name"));
            call.noContent();
        });
        routes.change(Method.PUT, "/{name}/nodes/{node}",
                call -> changeNodes(call, () -> call.changes().assignIdentity(call.path("name"), call.path("node"))));
        routes.change(Method.DELETE, "/{name}/nodes/{node}",
                call -> changeNodes(call, () -> call.changes().unassignIdentity(call.path("name"), call.path("node"))));
    }

    /** Assigning and unassigning: both change the identity's node list, under its ETag, and answer the identity as it is now. */
    private void changeNodes(AdminCall call, Runnable change) {
        String name = call.path("name");
        call.requireMatch(Etags.of(IdentityWire.of(find(name))));
        change.run();
        IdentityWire wire = IdentityWire.of(find(name));
        call.ok(wire, Etags.of(wire));
    }

    private ManagedIdentity find(String name) {
        return identities.list().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> Failure.notFound("no managed identity named '" + name + "'"));
    }

    record IdentityWire(String name, String clientId, String objectId, String resourceId, String tenantId, String systemAssignedNode,
                        List<String> nodes, String createdAt) {
        static IdentityWire of(ManagedIdentity i) {
            return new IdentityWire(i.name(), i.clientId(), i.objectId(), i.resourceId(), i.tenantId(), i.systemNode(),
                    i.nodes().stream().sorted().toList(), i.createdAt().toString());
        }
    }

    /** {@code system_assigned_node} set: the one system-assigned identity of that node. */
    record NewIdentityBody(String name, String tenantId, String resourceId, String systemAssignedNode) {
    }
}
