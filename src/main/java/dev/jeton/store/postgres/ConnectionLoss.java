package dev.jeton.store.postgres;

import dev.jeton.model.Failure;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells a database that cannot be reached (restarting, network gone, pool timed out waiting for
 * a connection) from a fault of the SQL itself. The first is a moment's outage: the client gets a
 * 503 with Retry-After in its dialect's shape and may try again; the second stays a 500. The log
 * says once when an outage starts and once when it ends, not once per refused request.
 */
final class ConnectionLoss {
    private static final System.Logger LOG = System.getLogger(ConnectionLoss.class.getName());
    /** What a client is told; the operator's log holds the cause. */
    static final String DETAIL = "the database cannot be reached at the moment; try again shortly";
    /** The audit log's reason for a request refused during an outage. */
    static final String CHECK = "store.unavailable";

    private final AtomicBoolean down = new AtomicBoolean();

    /** True when {@code e}, or what caused it, says the connection is gone or cannot be made. */
    static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof IOException) return true;
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // Class 08: connection exception. 57P01-57P03: the server shuts down or is starting up.
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) return true;
            }
        }
        return false;
    }

    /** The failure a caller sees for {@code e}: UNAVAILABLE for a lost connection, else INTERNAL. */
    Failure failure(String what, SQLException e) {
        if (!is(e)) return Failure.internal(what, e);
        if (down.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "PostgreSQL cannot be reached ({0}); answering 503 until it can", e.toString());
        }
        return Failure.unavailable(DETAIL, 1, e).because(CHECK);
    }

    /** A unit of work went through: an outage, if there was one, is over. */
    void reached() {
        if (down.get() && down.compareAndSet(true, false)) LOG.log(System.Logger.Level.INFO, "PostgreSQL answers again");
    }
}
