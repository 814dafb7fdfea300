package dev.jeton.store.jdbc;

import java.sql.PreparedStatement;

/**
 * The janitor's deletes, a bounded batch at a time: each batch is its own short write, so a
 * sweep of millions of rows never holds SQLite's single writer (or PostgreSQL row locks and a
 * long transaction that autovacuum must wait for) for more than one batch; token writes queued
 * behind it go in between.
 */
final class ExpiredRows {
    /** Rows per write: a few milliseconds of work on either database. */
    static final int BATCH = 1000;

    private ExpiredRows() {}

    /**
     * Deletes every row of {@code table} matching {@code condition} (whose {@code ?} all take
     * {@code instant}, epoch millis), {@link #BATCH} rows per write; returns how many went.
     * {@code key} is the table's primary key, one column or several ("client_id, jti").
     */
    static int delete(Database db, String table, String key, String condition, java.time.Instant instant) {
        // Row values: one statement for one or many key columns, on SQLite (3.15+) and PostgreSQL alike.
        String sql = "DELETE FROM " + table + " WHERE (" + key + ") IN (SELECT " + key + " FROM " + table
                + " WHERE " + condition + " LIMIT " + BATCH + ")";
        int params = (int) condition.chars().filter(ch -> ch == '?').count();
        return inBatches(db, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 1; i <= params; i++) ps.setLong(i, instant.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** Runs {@code batch} (which deletes at most {@link #BATCH} rows and says how many) as one write each time, until one deletes fewer. */
    static int inBatches(Database db, SqlWork<Integer> batch) {
        int total = 0;
        while (true) {
            int n = db.write(batch);
            total += n;
            // Fewer than a batch: nothing left (or another instance's janitor took the rest).
            if (n < BATCH) return total;
        }
    }
}
