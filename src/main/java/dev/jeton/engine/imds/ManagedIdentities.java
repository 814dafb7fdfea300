package dev.jeton.engine.imds;

import dev.jeton.model.Failure;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.store.IdentityStore;

import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/** Administration of managed identities and their assignment to nodes. */
public final class ManagedIdentities {
    public static final String DEFAULT_TENANT = "00000000-0000-0000-0000-000000000000";
    private static final String SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/jeton/providers/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final IdentityStore store;
    private final NodeIdentities node;
    private final RandomTokens random;
    private final Clock clock;

    /** {@code node} is this instance's view of its node's identities, reloaded after every change made here. */
    public ManagedIdentities(IdentityStore store, NodeIdentities node, RandomTokens random, Clock clock) {
        this.store = store;
        this.node = node;
        this.random = random;
        this.clock = clock;
    }

    /**
     * A user-assigned identity, or with {@code systemNode} the system-assigned identity of that
     * node. A resource id of null gets Azure's form for the kind.
     */
    public ManagedIdentity add(String name, String tenant, String resourceId, String systemNode) {
        if (name == null || !NAME.matcher(name).matches()) throw Failure.invalidRequest("identity name must be 1-128 of A-Z a-z 0-9 . _ -");
        if (systemNode != null && !NAME.matcher(systemNode).matches()) throw Failure.invalidRequest("node name must be 1-128 of A-Z a-z 0-9 . _ -");
        String rid = resourceId != null ? resourceId : systemNode != null
                ? SUBSCRIPTION + "Microsoft.Compute/virtualMachines/" + systemNode
                : SUBSCRIPTION + "Microsoft.ManagedIdentity/userAssignedIdentities/" + name;
        ManagedIdentity identity = new ManagedIdentity(random.uuid(), name, random.uuid(), random.uuid(), rid,
                tenant == null ? DEFAULT_TENANT : tenant, systemNode, List.of(), clock.instant());
        store.add(identity);
        node.reload();
        return identity;
    }

    public List<ManagedIdentity> list() { return store.list(); }

    public void assign(String name, String node) {
        ManagedIdentity identity = byName(name);
        if (identity.systemAssigned()) throw Failure.invalidRequest("a system-assigned identity belongs to its node only");
        if (!NAME.matcher(node).matches()) throw Failure.invalidRequest("node name must be 1-128 of A-Z a-z 0-9 . _ -");
        if (!store.assign(identity.id(), node)) throw Failure.of(dev.jeton.model.Reason.CONFLICT, name + " is already assigned to " + node);
        this.node.reload();
    }

    public void unassign(String name, String node) {
        if (!store.unassign(byName(name).id(), node)) throw Failure.notFound(name + " is not assigned to " + node);
        this.node.reload();
    }

    public void delete(String name) {
        store.delete(byName(name).id());
        node.reload();
    }

    private ManagedIdentity byName(String name) {
        return store.byName(name).orElseThrow(() -> Failure.notFound("no managed identity named '" + name + "'"));
    }
}
