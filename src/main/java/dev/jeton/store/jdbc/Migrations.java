package dev.jeton.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Applies {@code db/migration/V<n>.sql} in order, each once, recorded in
 * {@code schema_version}. A dozen lines instead of Flyway: Flyway adds about a third of a
 * second to every CLI command's start, and all we need is ordered, recorded scripts.
 */
public final class Migrations {
    private Migrations() {
    }

    public static int apply(Database db) {
        return db.write(c -> {
            db.lockForMigration(c);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
            }
            int current = currentVersion(c);
            int applied = 0;
            for (int v = current + 1; ; v++) {
                String script = script(v);
                if (script == null) break;
                try (Statement s = c.createStatement()) {
                    for (String statement : script.split(";\\s*\\n")) {
                        if (!statement.isBlank()) s.execute(statement);
                    }
                    s.execute("INSERT INTO schema_version (version, applied_at) VALUES (" + v + ", " + System.currentTimeMillis() + ")");
                }
                applied++;
            }
            return applied;
        });
    }

    /** The newest migration this build carries. */
    public static int latest() {
        int v = 0;
        while (script(v + 1) != null) v++;
        return v;
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String script(int version) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/V" + version + ".sql")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
