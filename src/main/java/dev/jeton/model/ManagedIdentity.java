package dev.jeton.model;

import java.time.Instant;
import java.util.List;

/**
 * An Azure-style managed identity. User-assigned ones are assigned to nodes; a system-assigned
 * one belongs to exactly one node ({@code systemNode}), which gets it when it names no identity.
 */
public record ManagedIdentity(String id, String name, String clientId, String objectId, String resourceId, String tenantId,
                              String systemNode, List<String> nodes, Instant createdAt) {
    public ManagedIdentity {
        nodes = List.copyOf(nodes);
    }

    public boolean systemAssigned() { return systemNode != null; }

    public Subject subject() { return new Subject(SubjectKind.MANAGED_IDENTITY, objectId, name); }
}
