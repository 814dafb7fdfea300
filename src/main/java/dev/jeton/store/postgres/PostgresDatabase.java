package dev.jeton.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jeton.model.Failure;
import dev.jeton.store.jdbc.Database;
import dev.jeton.store.jdbc.SqlWork;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL through a HikariCP pool: each write is its own short transaction (PostgreSQL
 * groups commits itself), committed before the caller continues; reads run in autocommit.
 * Many Jeton instances may share one database: every decision they could race on is a
 * conditional update in one transaction.
 */
public final class PostgresDatabase implements Database {
    private final HikariDataSource pool;

    public PostgresDatabase(StoreUrl url, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) config.setUsername(url.user());
        if (url.password() != null) config.setPassword(url.password().value());
        config.setMaximumPoolSize(maxConnections);
        config.setPoolName("jeton-postgres");
        config.setConnectionTimeout(10_000);
        this.pool = new HikariDataSource(config);
    }

    /** The connection of the transaction this thread is in, if any. */
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    @Override
    public <T> T transaction(java.util.function.Supplier<T> work) {
        if (bound.get() != null) return work.get();
        return write(c -> {
            bound.set(c);
            try {
                return work.get();
            } finally {
                bound.remove();
            }
        });
    }

    @Override
    public <T> T read(SqlWork<T> work) { return inAutocommit(work, "database read failed"); }

    /** In autocommit: PostgreSQL commits the statement itself, and with synchronous_commit on, before it answers. */
    @Override
    public <T> T writeStatement(SqlWork<T> work) { return inAutocommit(work, "database write failed"); }

    /** Inside a {@link #transaction}, on its connection; otherwise each statement commits by itself. */
    private <T> T inAutocommit(SqlWork<T> work, String failure) {
        Connection inTransaction = bound.get();
        if (inTransaction != null) return runBound(inTransaction, work, failure);
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw Failure.internal(failure, e);
        }
    }

    @Override
    public boolean writableCtes() { return true; }

    @Override
    public <T> T write(SqlWork<T> work) {
        Connection inTransaction = bound.get();
        if (inTransaction != null) return runBound(inTransaction, work, "database write failed");
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (e instanceof RuntimeException r) throw r;
                throw Failure.internal("database write failed", e);
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Failure.internal("database write failed", e);
        }
    }

    private static <T> T runBound(Connection c, SqlWork<T> work, String failure) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw Failure.internal(failure, e);
        }
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
