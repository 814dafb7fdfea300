package dev.jeton.store.jdbc;

import dev.jeton.model.LoginSession;
import dev.jeton.store.SessionStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcSessions implements SessionStore {
    private static final String SELECT = "SELECT id, user_id, auth_time, acr, amr, credential, created_at, idle_expires_at, expires_at, "
            + "revoked_at FROM login_sessions ";
    private static final String ACTIVE = "revoked_at IS NULL AND idle_expires_at > ? AND expires_at > ?";

    private final Database db;

    JdbcSessions(Database db) { this.db = db; }

    @Override
    public void create(byte[] hash, LoginSession s) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO login_sessions (id, hash, user_id, auth_time, acr, amr, credential, "
                    + "created_at, idle_expires_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.id());
                ps.setString(2, Rows.hex(hash));
                ps.setString(3, s.userId());
                ps.setLong(4, s.authTime().toEpochMilli());
                ps.setString(5, s.acr());
                ps.setString(6, Rows.joined(s.amr()));
                ps.setString(7, s.credential());
                ps.setLong(8, s.createdAt().toEpochMilli());
                ps.setLong(9, s.idleExpiresAt().toEpochMilli());
                ps.setLong(10, s.expiresAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<LoginSession> byHash(byte[] hash) { return one("WHERE hash = ?", Rows.hex(hash)); }

    @Override
    public Optional<LoginSession> byId(String id) { return one("WHERE id = ?", id); }

    @Override
    public boolean touch(String id, Instant idleExpiresAt, Instant now) { return updateActive("idle_expires_at", idleExpiresAt, id, now); }

    @Override
    public boolean revoke(String id, Instant now) { return updateActive("revoked_at", now, id, now); }

    @Override
    public boolean reauthenticate(String id, byte[] hash, Instant authTime, String credential, Instant idleExpiresAt) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE login_sessions SET hash = ?, auth_time = ?, credential = ?, "
                    + "idle_expires_at = ? WHERE id = ? AND " + ACTIVE)) {
                ps.setString(1, Rows.hex(hash));
                ps.setLong(2, authTime.toEpochMilli());
                ps.setString(3, credential);
                ps.setLong(4, idleExpiresAt.toEpochMilli());
                ps.setString(5, id);
                ps.setLong(6, authTime.toEpochMilli());
                ps.setLong(7, authTime.toEpochMilli());
                return ps.executeUpdate();
            }
        }) == 1;
    }

    /** One conditional UPDATE: changes the session only while it is active, so a revoke cannot lose to a touch. */
    private boolean updateActive(String column, Instant value, String id, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE login_sessions SET " + column + " = ? WHERE id = ? AND " + ACTIVE)) {
                ps.setLong(1, value.toEpochMilli());
                ps.setString(2, id);
                ps.setLong(3, now.toEpochMilli());
                ps.setLong(4, now.toEpochMilli());
                return ps.executeUpdate();
            }
        }) == 1;
    }

    @Override
    public List<String> revokeUser(String userId, Instant now) {
        return db.write(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM login_sessions WHERE user_id = ? AND " + ACTIVE)) {
                ps.setString(1, userId);
                ps.setLong(2, now.toEpochMilli());
                ps.setLong(3, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getString(1));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE login_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, userId);
                ps.executeUpdate();
            }
            return ids;
        });
    }

    @Override
    public List<LoginSession> active(String userId, Instant now) {
        return db.read(c -> {
            String sql = SELECT + "WHERE " + ACTIVE + (userId == null ? "" : " AND user_id = ?") + " ORDER BY created_at DESC, id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, now.toEpochMilli());
                ps.setLong(2, now.toEpochMilli());
                if (userId != null) ps.setString(3, userId);
                List<LoginSession> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(session(rs));
                }
                return out;
            }
        });
    }

    @Override
    public void addClient(String sessionId, String clientId) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO login_session_clients (session_id, client_id) VALUES (?, ?) "
                    + "ON CONFLICT (session_id, client_id) DO NOTHING")) {
                ps.setString(1, sessionId);
                ps.setString(2, clientId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<String> clients(String sessionId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT client_id FROM login_session_clients WHERE session_id = ? ORDER BY client_id")) {
                ps.setString(1, sessionId);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    @Override
    public int deleteExpired(Instant before) {
        // A batch of sessions and their clients in one write; both statements pick the same sessions (same order, same
        // instant). A session whose clients went but which stayed (a concurrent change) is picked again by the next batch.
        String batch = "SELECT id FROM login_sessions WHERE expires_at < ? OR idle_expires_at < ? ORDER BY id LIMIT " + ExpiredRows.BATCH;
        return ExpiredRows.inBatches(db, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_session_clients WHERE session_id IN (" + batch + ")")) {
                ps.setLong(1, before.toEpochMilli());
                ps.setLong(2, before.toEpochMilli());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_sessions WHERE id IN (" + batch + ")")) {
                ps.setLong(1, before.toEpochMilli());
                ps.setLong(2, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    private Optional<LoginSession> one(String where, String value) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + where)) {
                ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(session(rs)) : Optional.<LoginSession>empty();
                }
            }
        });
    }

    private static LoginSession session(ResultSet rs) throws SQLException {
        return new LoginSession(rs.getString("id"), rs.getString("user_id"), Rows.instant(rs, "auth_time"), rs.getString("acr"),
                Rows.list(rs.getString("amr")), rs.getString("credential"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "idle_expires_at"), Rows.instant(rs, "expires_at"), Rows.instant(rs, "revoked_at"));
    }
}
