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

    @Override
    public <T> T read(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw Failure.internal("database read failed", e);
        }
    }

    @Override
    public <T> T write(SqlWork<T> work) {
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
