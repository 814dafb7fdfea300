package dev.jeton.store;

import dev.jeton.model.Secret;
import dev.jeton.store.jdbc.Database;
import dev.jeton.store.postgres.PostgresDatabase;
import dev.jeton.store.postgres.StoreUrl;
import dev.jeton.store.sqlite.SqliteDatabase;

import java.nio.file.Path;

/** Opens the database a store URL names: PostgreSQL, or SQLite ({@code sqlite:PATH} or the default file). */
public final class Databases {
    private Databases() {
    }

    public static Database open(String url, Secret password, int poolSize, Path defaultSqliteFile) {
        if (StoreUrl.isPostgres(url)) return new PostgresDatabase(StoreUrl.parse(url, password), poolSize);
        if (url == null || url.isEmpty()) return new SqliteDatabase(defaultSqliteFile, 4);
        if (url.startsWith("sqlite:")) return new SqliteDatabase(Path.of(url.substring("sqlite:".length())), 4);
        throw new IllegalArgumentException("a store is sqlite:PATH or postgresql://...; got " + StoreUrl.masked(url));
    }
}
