package dev.jeton.store.jdbc;

import dev.jeton.model.Failure;
import dev.jeton.model.Reason;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Column encodings shared by every table: epoch millis, hex hashes, space-separated lists. */
final class Rows {
    private static final HexFormat HEX = HexFormat.of();

    private Rows() {
    }

    static Long millis(Instant t) { return t == null ? null : t.toEpochMilli(); }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static String hex(byte[] b) { return b == null ? null : HEX.formatHex(b); }

    static byte[] unhex(String s) { return s == null ? null : HEX.parseHex(s); }

    static String joined(java.util.Collection<String> items) { return String.join(" ", items); }

    static Set<String> set(String joined) {
        if (joined == null || joined.isEmpty()) return Set.of();
        return new LinkedHashSet<>(Arrays.asList(joined.split(" ")));
    }

    static List<String> list(String joined) {
        if (joined == null || joined.isEmpty()) return List.of();
        return Arrays.asList(joined.split(" "));
    }

    /** Whether {@code table} has a row: one row read at most, whatever the table's size. */
    static boolean any(Database db, String table) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " LIMIT 1"); ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) ps.setNull(index, java.sql.Types.BIGINT);
        else ps.setLong(index, value);
    }

    /** SQLite reports constraint failures as error code 19, PostgreSQL as SQLState 23505. */
    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == 19 || "23505".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    static RuntimeException conflictOr(RuntimeException e, String what) {
        return isUniqueViolation(e) ? Failure.of(Reason.CONFLICT, what + " already exists") : e;
    }
}
