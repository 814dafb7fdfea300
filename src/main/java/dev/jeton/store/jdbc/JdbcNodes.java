package dev.jeton.store.jdbc;

import dev.jeton.model.Node;
import dev.jeton.store.NodeStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcNodes implements NodeStore {
    private static final String SELECT = "SELECT name, state, public_key, enrol_token_hash, enrol_expires_at, enrol_used, created_at, "
            + "enrolled_at, last_seen_at FROM nodes ";

    private final Database db;

    JdbcNodes(Database db) { this.db = db; }

    @Override
    public void add(Node n) {
        try {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO nodes (name, state, public_key, enrol_token_hash, "
                        + "enrol_expires_at, enrol_used, created_at, enrolled_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, n.name());
                    ps.setString(2, n.disabled() ? "disabled" : "enabled");
                    ps.setString(3, n.publicKey());
                    ps.setString(4, Rows.hex(n.enrolTokenHash()));
                    Rows.setLong(ps, 5, Rows.millis(n.enrolExpiresAt()));
                    ps.setInt(6, n.enrolUsed() ? 1 : 0);
                    ps.setLong(7, n.createdAt().toEpochMilli());
                    Rows.setLong(ps, 8, Rows.millis(n.enrolledAt()));
                    Rows.setLong(ps, 9, Rows.millis(n.lastSeenAt()));
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            throw Rows.conflictOr(e, "a node named " + n.name());
        }
    }

    @Override
    public Optional<Node> byName(String name) {
        return db.read(c -> query(c, SELECT + "WHERE name = ?", name).stream().findFirst());
    }

    @Override
    public List<Node> list() {
        return db.read(c -> query(c, SELECT + "ORDER BY name"));
    }

    @Override
    public boolean setDisabled(String name, boolean disabled) {
        return update("UPDATE nodes SET state = ? WHERE name = ?", disabled ? "disabled" : "enabled", name) == 1;
    }

    @Override
    public boolean delete(String name) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean enrol(String name, byte[] tokenHash, String publicKey, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET public_key = ?, enrol_used = 1, enrolled_at = ? "
                    + "WHERE name = ? AND enrol_token_hash = ? AND enrol_used = 0 AND enrol_expires_at > ? AND state = 'enabled'")) {
                ps.setString(1, publicKey);
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, name);
                ps.setString(4, Rows.hex(tokenHash));
                ps.setLong(5, now.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean useAssertion(String node, String jti, Instant expiresAt) {
        // ON CONFLICT, not a caught unique violation: on PostgreSQL that would abort the transaction.
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO node_assertions (node, jti, expires_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT DO NOTHING")) {
                ps.setString(1, node);
                ps.setString(2, jti);
                ps.setLong(3, expiresAt.toEpochMilli());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void seen(String name, Instant at) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET last_seen_at = ? WHERE name = ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, name);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int deleteExpired(Instant now) {
        return ExpiredRows.delete(db, "node_assertions", "node, jti", "expires_at < ?", now);
    }

    private int update(String sql, String... params) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
                return ps.executeUpdate();
            }
        });
    }

    private static List<Node> query(Connection c, String sql, String... params) throws SQLException {
        List<Node> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Node(rs.getString("name"), "disabled".equals(rs.getString("state")), rs.getString("public_key"),
                            Rows.unhex(rs.getString("enrol_token_hash")), Rows.instant(rs, "enrol_expires_at"), rs.getInt("enrol_used") == 1,
                            Rows.instant(rs, "created_at"), Rows.instant(rs, "enrolled_at"), Rows.instant(rs, "last_seen_at")));
                }
            }
        }
        return out;
    }
}
