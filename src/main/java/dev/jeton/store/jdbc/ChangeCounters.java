package dev.jeton.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Counters that move with every change to a cached table (clients, access rules, managed
 * identities), bumped in the changing transaction, so every instance can tell cheaply that its
 * in-memory copy is stale.
 */
final class ChangeCounters {
    private ChangeCounters() {
    }

    static long version(Database db, String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM change_counters WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** Returns the rows changed (1), so callers can chain it into their own result. */
    static int bump(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE change_counters SET version = version + 1 WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate();
        }
    }
}
