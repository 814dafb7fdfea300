package dev.jeton.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies everything from one store to an empty one (SQLite to PostgreSQL, say), in one target
 * transaction: either all of it arrives or nothing does. Refresh tokens, keys (still
 * encrypted with the same master key) and codes move as they are, so no token is lost.
 */
public final class StoreCopy {
    /** Parents before children, so foreign keys hold at every insert. */
    private static final List<String> TABLES = List.of("users", "user_groups", "clients", "signing_keys", "refresh_families",
            "refresh_tokens", "revoked_access_tokens", "api_keys", "access_rules", "managed_identities", "identity_assignments",
            "authorization_codes", "trust_policies", "device_authorizations", "upstreams", "upstream_links", "client_assertion_jtis", "nodes", "node_assertions",
            "client_previous_secrets", "login_sessions", "login_session_clients", "consents", "relying_parties");

    private StoreCopy() {
    }

    /** Rows copied per table. */
    public static Map<String, Integer> copy(Database from, Database to) {
        Migrations.BUNDLED.apply(from);
        Migrations.BUNDLED.apply(to);
        Map<String, List<Map<String, Object>>> data = new LinkedHashMap<>();
        for (String table : TABLES) data.put(table, from.read(c -> rows(c, table)));
        return to.write(c -> {
            if (count(c, "signing_keys") > 0 || count(c, "users") > 0) {
                throw new IllegalStateException("the target store is not empty; copy only into a new database");
            }
            Map<String, Integer> copied = new LinkedHashMap<>();
            for (Map.Entry<String, List<Map<String, Object>>> e : data.entrySet()) {
                for (Map<String, Object> row : e.getValue()) insert(c, e.getKey(), row);
                copied.put(e.getKey(), e.getValue().size());
            }
            // Every instance on the target reloads what it may have cached.
            try (PreparedStatement ps = c.prepareStatement("UPDATE change_counters SET version = version + 1")) {
                ps.executeUpdate();
            }
            return copied;
        });
    }

    private static List<Map<String, Object>> rows(Connection c, String table) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table); ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) row.put(meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
                out.add(row);
            }
        }
        return out;
    }

    private static void insert(Connection c, String table, Map<String, Object> row) throws SQLException {
        String columns = String.join(", ", row.keySet());
        String marks = String.join(", ", java.util.Collections.nCopies(row.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")")) {
            int i = 1;
            for (Object value : row.values()) {
                // SQLite hands back integers as Integer or Long; PostgreSQL's BIGINT columns want a long.
                if (value instanceof Integer n) ps.setLong(i++, n);
                else ps.setObject(i++, value);
            }
            ps.executeUpdate();
        }
    }

    private static int count(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
