package dev.jeton.store.postgres;

import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import dev.jeton.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What PostgreSQL restarting under Jeton looks like to the pool: the server ends every
 * connection (SQLSTATE 57P01), and the pool only learns it on each connection's next use. The
 * work here ends its own connection from a second one, as a restart would, at a chosen point.
 */
class PostgresOutageTest {
    private String url;
    private PostgresDatabase db;

    @BeforeEach
    void open() throws SQLException {
        url = TestPostgres.newDatabase();
        db = new PostgresDatabase(StoreUrl.parse(url, null), 2);
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE marks (n INT)");
            }
            return null;
        });
    }

    @AfterEach
    void close() { db.close(); }

    @Test
    void writeWhenItsConnectionIsEndedBeforeCommitThenItRunsOnceMoreOnANewConnectionAndCommitsOnce() {
        AtomicInteger runs = new AtomicInteger();
        db.write(c -> {
            if (runs.incrementAndGet() == 1) endBackendOf(c);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO marks VALUES (1)");
            }
            return null;
        });
        assertThat(runs).hasValue(2);
        assertThat(count()).as("rows after a retried write").isEqualTo(1);
    }

    @Test
    void readWhenItsConnectionIsEndedThenItIsAnsweredFromANewConnection() {
        AtomicInteger runs = new AtomicInteger();
        int answer = db.read(c -> {
            if (runs.incrementAndGet() == 1) endBackendOf(c);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 42")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(answer).isEqualTo(42);
        assertThat(runs).hasValue(2);
    }

    @Test
    void writeWhenEveryConnectionIsEndedThenUnavailableWithAReasonAndNothingCommitted() {
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> db.write(c -> {
            runs.incrementAndGet();
            endBackendOf(c);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO marks VALUES (1)");
            }
            return null;
        })).isInstanceOfSatisfying(Failure.class, f -> {
            assertThat(f.reason()).isEqualTo(Reason.UNAVAILABLE);
            assertThat(f.check()).isEqualTo("store.unavailable");
            assertThat(f.retryAfterSeconds()).isEqualTo(1);
            assertThat(f.detail()).doesNotContain("57P01").doesNotContain("terminat");
        });
        assertThat(runs).as("tried once, then once more on a new connection, not more").hasValue(2);
        assertThat(count()).isZero();
    }

    @Test
    void writeWhenTheSqlIsWrongThenInternalAndNotRetried() {
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> db.write(c -> {
            runs.incrementAndGet();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO no_such_table VALUES (1)");
            }
            return null;
        })).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.INTERNAL));
        assertThat(runs).hasValue(1);
    }

    @Test
    void loneWriteWhenItsConnectionIsLostAfterItCommittedThenAfterLossFindsThatInsteadOfRunningItAgain() {
        AtomicInteger firstRuns = new AtomicInteger();
        AtomicInteger afterLossRuns = new AtomicInteger();
        int rows = db.writeStatement(c -> {
            firstRuns.incrementAndGet();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO marks VALUES (1)"); // autocommit: in the database now
            }
            endBackendOf(c);
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT 1"); // as if the answer to the insert had been lost with the connection
            }
            return -1;
        }, c -> {
            afterLossRuns.incrementAndGet();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM marks")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(firstRuns).hasValue(1);
        assertThat(afterLossRuns).hasValue(1);
        assertThat(rows).as("what afterLoss found").isEqualTo(1);
        assertThat(count()).as("the lone write was not run again").isEqualTo(1);
    }

    private int count() {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM marks")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** Ends {@code victim}'s server process from another connection, as a restarting server does to all of them. */
    private void endBackendOf(Connection victim) throws SQLException {
        int pid;
        try (Statement s = victim.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
        }
        StoreUrl admin = StoreUrl.parse(url, null);
        try (Connection other = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), null);
             Statement s = other.createStatement()) {
            // PostgreSQL 14+: waits (up to 10 s) until that process has gone, so the next statement surely meets a closed connection.
            s.execute("SELECT pg_terminate_backend(" + pid + ", 10000)");
        }
    }
}
