package dev.jeton.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work on one connection, inside whatever transaction the database gives it. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
