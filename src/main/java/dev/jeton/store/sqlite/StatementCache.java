package dev.jeton.store.sqlite;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.Map;

/**
 * A connection that prepares each SQL text once: SQLite compiles a statement on every
 * {@code prepareStatement}, which cost the single writer a good part of each refresh. The
 * callers keep their try-with-resources; closing a cached statement only clears it. One
 * connection is used by one thread at a time, so the map needs no lock.
 */
final class StatementCache {
    private StatementCache() {
    }

    static Connection wrap(Connection connection) {
        Map<String, PreparedStatement> prepared = new HashMap<>();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") && args != null && args.length == 1 && args[0] instanceof String sql) {
                PreparedStatement statement = prepared.get(sql);
                if (statement == null) {
                    statement = connection.prepareStatement(sql);
                    prepared.put(sql, statement);
                }
                return reusable(statement);
            }
            return invoke(connection, method, args);
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class}, handler);
    }

    private static PreparedStatement reusable(PreparedStatement statement) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("close")) {
                statement.clearParameters();
                return null;
            }
            if (method.getName().equals("isClosed")) return false;
            return invoke(statement, method, args);
        };
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
