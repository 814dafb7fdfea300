package dev.jeton.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Applies {@code db/migration/V<n>.sql} in order (V1, V2, ... up to the first number with no
 * file), each once, recorded in {@code schema_version} with the SHA-256 of its file. A page of
 * code instead of Flyway: Flyway adds about a third of a second to every CLI command's start,
 * and all we need is ordered, recorded, checked scripts.
 * <p>
 * Every start checks the record first and refuses, naming the file, when an applied migration's
 * file was edited since (its SHA-256 differs) or is missing from this build (a newer Jeton
 * migrated the database, or the file was removed); only then are new migrations applied. A
 * database migrated before checksums were recorded gets them recorded on its first start.
 * <p>
 * Each file runs as one script, all of it in the same transaction as its record: SQLite's
 * driver hands the whole text to {@code sqlite3_exec}, PostgreSQL's splits it with its own
 * parser, so semicolons in quotes, comments and trigger bodies are safe. A script must not
 * open or end transactions itself, and returns no rows.
 */
public final class Migrations {
    /** The migrations this build carries, from the classpath. */
    public static final Migrations BUNDLED = new Migrations(Migrations::bundled);

    private static final HexFormat HEX = HexFormat.of();

    private final IntFunction<String> scripts;

    /** @param scripts the text of migration {@code n}, or null when there is no such migration */
    public Migrations(IntFunction<String> scripts) {
        this.scripts = scripts;
    }

    /** Checks what was applied, then applies what is new; returns how many were applied. */
    public int apply(Database db) {
        return db.write(c -> {
            db.lockForMigration(c);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL, "
                        + "checksum TEXT)");
                // Databases from before checksums were recorded have the table without the column.
                if (!hasChecksumColumn(s)) s.executeUpdate("ALTER TABLE schema_version ADD COLUMN checksum TEXT");
            }
            TreeMap<Integer, String> applied = applied(c);
            for (Map.Entry<Integer, String> row : applied.entrySet()) check(c, row.getKey(), row.getValue());
            int count = 0;
            for (int v = applied.isEmpty() ? 1 : applied.lastKey() + 1; ; v++) {
                String script = scripts.apply(v);
                if (script == null) break;
                try (Statement s = c.createStatement()) {
                    s.executeUpdate(script);
                } catch (SQLException e) {
                    throw new IllegalStateException("migration V" + v + ".sql failed: " + e.getMessage(), e);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version (version, applied_at, checksum) VALUES (?, ?, ?)")) {
                    ps.setInt(1, v);
                    ps.setLong(2, System.currentTimeMillis());
                    ps.setString(3, checksum(script));
                    ps.executeUpdate();
                }
                count++;
            }
            return count;
        });
    }

    /** The newest migration this source has. */
    public int latest() {
        int v = 0;
        while (scripts.apply(v + 1) != null) v++;
        return v;
    }

    /** The SHA-256 of a migration's text as UTF-8, in lowercase hex: what {@code sha256sum V1.sql} prints for its file. */
    public static String checksum(String script) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** An applied migration must still be in this build, unchanged; one recorded without a checksum gets it now. */
    private void check(Connection c, int version, String recorded) throws SQLException {
        String script = scripts.apply(version);
        if (script == null) {
            throw new IllegalStateException("the database has migration V" + version + " applied, but this build has no db/migration/V"
                    + version + ".sql: the database was migrated by a newer Jeton, or the file was removed; run the Jeton that migrated it");
        }
        String actual = checksum(script);
        if (recorded == null) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schema_version SET checksum = ? WHERE version = ?")) {
                ps.setString(1, actual);
                ps.setInt(2, version);
                ps.executeUpdate();
            }
        } else if (!recorded.equals(actual)) {
            throw new IllegalStateException("migration V" + version + ".sql was edited after it was applied to this database (SHA-256 "
                    + actual + ", applied " + recorded + "): restore the file as it was applied and put the change in a new migration");
        }
    }

    private static TreeMap<Integer, String> applied(Connection c) throws SQLException {
        TreeMap<Integer, String> applied = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version, checksum FROM schema_version")) {
            while (rs.next()) applied.put(rs.getInt(1), rs.getString(2));
        }
        return applied;
    }

    private static boolean hasChecksumColumn(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT * FROM schema_version WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (meta.getColumnName(i).equalsIgnoreCase("checksum")) return true;
            }
            return false;
        }
    }

    private static String bundled(int version) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/V" + version + ".sql")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
