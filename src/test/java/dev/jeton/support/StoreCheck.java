package dev.jeton.support;

import dev.jeton.store.postgres.StoreUrl;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Opens a Jeton database from outside any Jeton process (after it died) and lists what is
 * wrong with it: SQLite's own integrity and foreign-key checks, and on either store the
 * refresh invariants that a torn write would break. An empty list means sound.
 */
public final class StoreCheck {
    private static final List<String> REFRESH_INVARIANTS = List.of(
            // The token a family would accept next must be stored: otherwise a client holds a token the server forgot.
            "SELECT 'family ' || f.id || ' has no row for its current token' FROM refresh_families f "
                    + "WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.hash = f.current_hash AND t.family_id = f.id)",
            "SELECT 'family ' || f.id || ' is at generation ' || f.generation || ' but its current token is not' "
                    + "FROM refresh_families f JOIN refresh_tokens t ON t.hash = f.current_hash WHERE t.generation <> f.generation",
            "SELECT 'token of missing family ' || t.family_id FROM refresh_tokens t "
                    + "WHERE NOT EXISTS (SELECT 1 FROM refresh_families f WHERE f.id = t.family_id)");

    private StoreCheck() {
    }

    /** {@code store} is the data dir's store setting: empty for DATA_DIR/jeton.db, or a postgresql:// URL. */
    public static List<String> problems(Path dataDir, String store) throws SQLException {
        List<String> problems = new ArrayList<>();
        if (store.isEmpty()) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("jeton.db").toAbsolutePath())) {
                List<String> integrity = rows(c, "PRAGMA integrity_check");
                if (!integrity.equals(List.of("ok"))) problems.addAll(integrity);
                for (String row : rows(c, "PRAGMA foreign_key_check")) problems.add("foreign key broken in table " + row);
                for (String query : REFRESH_INVARIANTS) problems.addAll(rows(c, query));
            }
        } else {
            StoreUrl url = StoreUrl.parse(store, null);
            Properties login = new Properties();
            if (url.user() != null) login.setProperty("user", url.user());
            if (url.password() != null) login.setProperty("password", url.password().value());
            try (Connection c = DriverManager.getConnection(url.jdbcUrl(), login)) {
                for (String query : REFRESH_INVARIANTS) problems.addAll(rows(c, query));
            }
        }
        return problems;
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) rows.add(rs.getString(1));
        }
        return rows;
    }
}
