package dev.jeton.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer checkpoints between batches, not inside commits (CheckpointSchedule). */
class SqliteCheckpointTest {
    private static final Duration MS_100 = Duration.ofMillis(100);
    private static final Duration S_1 = Duration.ofSeconds(1);
    private static final long MS = 1_000_000L;

    @Test
    void writesWhenTheyKeepComingThenTheWalIsCopiedIntoTheDatabaseFileAndStaysSmall(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jeton.db");
        byte[] row = new byte[1024];
        try (SqliteDatabase db = new SqliteDatabase(file, 2)) {
            db.write(c -> c.createStatement().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)"));
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            int written = 0;
            // 4 MiB of rows, one write each, for at least 2 s: SQLite's own checkpoint is off on the writer.
            while (written < 4096 || System.nanoTime() < end) {
                db.write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
                        ps.setBytes(1, row);
                        return ps.executeUpdate();
                    }
                });
                written++;
            }
            int rows = db.read(c -> {
                try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
                    r.next();
                    return r.getInt(1);
                }
            });
            assertThat(rows).isEqualTo(written);
            // Checked while the database is open: closing checkpoints whatever is left anyway.
            long walBytes = Files.size(dir.resolve("jeton.db-wal"));
            assertThat(Files.size(file)).as("database file while open").isGreaterThan(4L << 20);
            // Each commit appends at least one 4 KiB page to the WAL: unchecked, it would hold them all.
            assertThat(walBytes).as("WAL after %d writes", written).isLessThan(written * 4096L / 4);
        }
    }

    @Test
    void scheduleWhenNothingWasWrittenThenNoCheckpoint() {
        CheckpointSchedule schedule = new CheckpointSchedule(MS_100, S_1, 0);
        assertThat(schedule.due(true, 10_000 * MS)).isFalse();
    }

    @Test
    void scheduleWhenIdleThenCheckpointsAtMostEveryIdleGap() {
        CheckpointSchedule schedule = new CheckpointSchedule(MS_100, S_1, 0);
        schedule.committed();
        assertThat(schedule.due(true, 99 * MS)).isFalse();
        assertThat(schedule.due(true, 100 * MS)).isTrue();
        schedule.checkpointed(100 * MS);
        schedule.committed();
        assertThat(schedule.due(true, 150 * MS)).isFalse();
        assertThat(schedule.due(true, 200 * MS)).isTrue();
    }

    @Test
    void scheduleWhenWritesAreAlwaysWaitingThenCheckpointsAfterTheMaxGap() {
        CheckpointSchedule schedule = new CheckpointSchedule(MS_100, S_1, 0);
        schedule.committed();
        assertThat(schedule.due(false, 500 * MS)).isFalse();
        assertThat(schedule.due(false, 999 * MS)).isFalse();
        assertThat(schedule.due(false, 1_000 * MS)).isTrue();
    }
}
