package dev.jeton.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jeton.store.jdbc.Database;
import dev.jeton.store.jdbc.SqlWork;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * PostgreSQL through a HikariCP pool: each write is its own short transaction (PostgreSQL
 * groups commits itself), committed before the caller continues; reads run in autocommit.
 * Many Jeton instances may share one database: every decision they could race on is a
 * conditional update in one transaction.
 */
public final class PostgresDatabase implements Database {
    private static final System.Logger LOG = System.getLogger(PostgresDatabase.class.getName());
    /**
     * How long a request waits for a connection while PostgreSQL cannot be reached: long enough
     * for a restart to pass as a slower answer, well under the default request-timeout (10 s), so
     * that a request waiting out an outage gets its 503 rather than being cut off as a slow client.
     */
    static final Duration CONNECTION_WAIT = Duration.ofSeconds(5);
    private final HikariDataSource pool;
    private final ConnectionLoss loss = new ConnectionLoss();

    public PostgresDatabase(StoreUrl url, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) config.setUsername(url.user());
        if (url.password() != null) config.setPassword(url.password().value());
        config.setMaximumPoolSize(maxConnections);
        config.setPoolName("jeton-postgres");
        config.setConnectionTimeout(CONNECTION_WAIT.toMillis());
        this.pool = new HikariDataSource(config);
    }

    /** Held by a {@link #transaction} until it ends; another number than the migrations' lock. */
    private static final long TRANSACTION_LOCK = 7464572;

    /** The connection of the transaction this thread is in, if any. */
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    @Override
    public <T> T transaction(java.util.function.Supplier<T> work) {
        if (bound.get() != null) return work.get();
        return write(c -> {
            // Read committed lets another transaction commit between this one's reads and writes:
            // transactions (admin changes, on any instance) take one lock first, so they run one at a time.
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + TRANSACTION_LOCK + ")");
            }
            bound.set(c);
            try {
                return work.get();
            } finally {
                bound.remove();
            }
        });
    }

    @Override
    public boolean inTransaction() { return bound.get() != null; }

    @Override
    public <T> T read(SqlWork<T> work) { return inAutocommit(work, work, "database read failed"); }

    /** In autocommit: PostgreSQL commits the statement itself, and with synchronous_commit on, before it answers. */
    @Override
    public <T> T writeStatement(SqlWork<T> work, SqlWork<T> afterLoss) { return inAutocommit(work, afterLoss, "database write failed"); }

    /**
     * Inside a {@link #transaction}, on its connection; otherwise each statement commits by itself.
     * After a lost connection {@code afterLoss} runs once on a new one: a read is simply read again,
     * but a lone write may have committed before the connection went, and its caller must find out.
     */
    private <T> T inAutocommit(SqlWork<T> work, SqlWork<T> afterLoss, String failure) {
        Connection inTransaction = bound.get();
        if (inTransaction != null) return runBound(inTransaction, work, failure);
        return onPooledConnection(work, afterLoss, false, failure);
    }

    @Override
    public boolean writableCtes() { return true; }

    @Override
    public <T> T write(SqlWork<T> work) {
        Connection inTransaction = bound.get();
        if (inTransaction != null) return runBound(inTransaction, work, "database write failed");
        return onPooledConnection(work, work, true, "database write failed");
    }

    /**
     * Runs {@code first} on a connection from the pool. After PostgreSQL restarts, every pooled
     * connection is dead, and the pool learns that only by using each one; work that fails on a
     * lost connection gets one more go on a new connection, as {@code afterLoss}: a transaction
     * that failed before its commit runs again (nothing of it is in the database), a lone statement
     * runs what its caller gave to find out whether it committed. A commit that fails is never
     * run again: it may have happened, and the caller gets a 503.
     */
    private <T> T onPooledConnection(SqlWork<T> first, SqlWork<T> afterLoss, boolean transaction, String what) {
        for (int attempt = 1; ; attempt++) {
            SqlWork<T> work = attempt == 1 ? first : afterLoss;
            Connection c;
            try {
                c = pool.getConnection();
            } catch (SQLException e) {
                throw loss.failure(what, e);
            }
            T result;
            try {
                result = transaction ? committed(c, work) : autocommitted(c, work);
            } catch (NotCommitted e) {
                closeAfterFailure(c, e.getCause());
                if (attempt == 1 && ConnectionLoss.is(e.getCause())) {
                    // One lost connection means the server went away: the others idle in the pool went with it, and
                    // one used within the last half second is handed out unchecked, so the second go could meet another.
                    pool.getHikariPoolMXBean().softEvictConnections();
                    continue;
                }
                throw loss.failure(what, e.getCause());
            } catch (SQLException | RuntimeException e) {
                closeAfterFailure(c, e);
                if (e instanceof RuntimeException r) throw r;
                throw loss.failure(what, (SQLException) e);
            }
            // The work is done (and committed): a connection that breaks while going back to the pool changes nothing.
            try {
                c.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.DEBUG, "a connection failed on its way back to the pool", e);
            }
            loss.reached();
            return result;
        }
    }

    /** A lone statement's failure: unlike a transaction's, it may have committed (see {@link #writeStatement}). */
    private static <T> T autocommitted(Connection c, SqlWork<T> work) throws NotCommitted {
        try {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw new NotCommitted(e);
        }
    }

    private static <T> T committed(Connection c, SqlWork<T> work) throws NotCommitted, SQLException {
        T result;
        try {
            c.setAutoCommit(false);
            result = work.run(c);
        } catch (SQLException e) {
            rollback(c, e);
            throw new NotCommitted(e);
        } catch (RuntimeException e) {
            rollback(c, e);
            throw e;
        }
        c.commit();
        return result; // the pool puts autocommit back when the connection returns
    }

    /** On a lost connection the rollback fails too; the first failure is the one that matters. */
    private static void rollback(Connection c, Exception first) {
        try {
            c.rollback();
        } catch (SQLException e) {
            first.addSuppressed(e);
        }
    }

    private static void closeAfterFailure(Connection c, Throwable first) {
        try {
            c.close();
        } catch (SQLException e) {
            first.addSuppressed(e);
        }
    }

    private <T> T runBound(Connection c, SqlWork<T> work, String failure) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw loss.failure(failure, e);
        }
    }

    /** The work failed before its commit was asked for: nothing of it is in the database. */
    private static final class NotCommitted extends Exception {
        NotCommitted(SQLException cause) {
            super(null, cause, false, false);
        }

        @Override
        public synchronized SQLException getCause() { return (SQLException) super.getCause(); }
    }

    /** Instances starting together take turns at the migrations. */
    @Override
    public void lockForMigration(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(7464571)");
        }
    }

    @Override
    public void close() { pool.close(); }
}
