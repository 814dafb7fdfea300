-- Managed identities (Azure-style), the nodes they are assigned to, and one system-assigned identity per node.
CREATE TABLE managed_identities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL UNIQUE,
    object_id TEXT NOT NULL UNIQUE,
    resource_id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL,
    system_node TEXT UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE identity_assignments (
    identity_id TEXT NOT NULL REFERENCES managed_identities(id) ON DELETE CASCADE,
    node TEXT NOT NULL,
    PRIMARY KEY (identity_id, node)
);

CREATE INDEX identity_assignments_node ON identity_assignments (node);

INSERT INTO change_counters (name, version) VALUES ('managed_identities', 0);
