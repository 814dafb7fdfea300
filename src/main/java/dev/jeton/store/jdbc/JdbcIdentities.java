package dev.jeton.store.jdbc;

import dev.jeton.model.ManagedIdentity;
import dev.jeton.store.IdentityStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcIdentities implements IdentityStore {
    private static final String SELECT = "SELECT id, name, client_id, object_id, resource_id, tenant_id, system_node, created_at "
            + "FROM managed_identities ";
    private final Database db;

    JdbcIdentities(Database db) { this.db = db; }

    @Override
    public void add(ManagedIdentity identity) {
        try {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO managed_identities (id, name, client_id, object_id, "
                        + "resource_id, tenant_id, system_node, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, identity.id());
                    ps.setString(2, identity.name());
                    ps.setString(3, identity.clientId());
                    ps.setString(4, identity.objectId());
                    ps.setString(5, identity.resourceId());
                    ps.setString(6, identity.tenantId());
                    ps.setString(7, identity.systemNode());
                    ps.setLong(8, identity.createdAt().toEpochMilli());
                    ps.executeUpdate();
                }
                for (String node : identity.nodes()) insertAssignment(c, identity.id(), node);
                ChangeCounters.bump(c, "managed_identities");
                return null;
            });
        } catch (RuntimeException e) {
            throw Rows.conflictOr(e, "an identity with that name, id, resource id or system node");
        }
    }

    @Override
    public Optional<ManagedIdentity> byName(String name) {
        return db.read(c -> {
            List<ManagedIdentity> found = query(c, SELECT + "WHERE name = ?", name);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        });
    }

    @Override
    public Optional<ManagedIdentity> byObjectId(String objectId) {
        return db.read(c -> query(c, SELECT + "WHERE object_id = ?", objectId).stream().findFirst());
    }

    @Override
    public List<ManagedIdentity> list() {
        return db.read(c -> query(c, SELECT + "ORDER BY name"));
    }

    @Override
    public List<ManagedIdentity> forNode(String node) {
        return db.read(c -> query(c, SELECT + "WHERE system_node = ? OR id IN (SELECT identity_id FROM identity_assignments "
                + "WHERE node = ?) ORDER BY name", node, node));
    }

    @Override
    public boolean assign(String identityId, String node) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM identity_assignments WHERE identity_id = ? AND node = ?")) {
                ps.setString(1, identityId);
                ps.setString(2, node);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return false;
                }
            }
            insertAssignment(c, identityId, node);
            ChangeCounters.bump(c, "managed_identities");
            return true;
        });
    }

    @Override
    public boolean unassign(String identityId, String node) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM identity_assignments WHERE identity_id = ? AND node = ?")) {
                ps.setString(1, identityId);
                ps.setString(2, node);
                if (ps.executeUpdate() != 1) return false;
            }
            ChangeCounters.bump(c, "managed_identities");
            return true;
        });
    }

    @Override
    public boolean delete(String identityId) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM managed_identities WHERE id = ?")) {
                ps.setString(1, identityId);
                if (ps.executeUpdate() != 1) return false;
            }
            ChangeCounters.bump(c, "managed_identities");
            return true;
        });
    }

    @Override
    public long version() {
        return ChangeCounters.version(db, "managed_identities");
    }

    private static List<ManagedIdentity> query(Connection c, String sql, String... params) throws SQLException {
        List<ManagedIdentity> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString("id");
                    out.add(new ManagedIdentity(id, rs.getString("name"), rs.getString("client_id"), rs.getString("object_id"),
                            rs.getString("resource_id"), rs.getString("tenant_id"), rs.getString("system_node"), nodes(c, id),
                            Rows.instant(rs, "created_at")));
                }
            }
        }
        return out;
    }

    private static List<String> nodes(Connection c, String identityId) throws SQLException {
        List<String> nodes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT node FROM identity_assignments WHERE identity_id = ? ORDER BY node")) {
            ps.setString(1, identityId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) nodes.add(rs.getString(1));
            }
        }
        return nodes;
    }

    private static void insertAssignment(Connection c, String identityId, String node) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_assignments (identity_id, node) VALUES (?, ?)")) {
            ps.setString(1, identityId);
            ps.setString(2, node);
            ps.executeUpdate();
        }
    }

}
