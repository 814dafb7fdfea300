package dev.jeton.store.jdbc;

/**
 * How the JDBC ports reach a database. {@link #write} runs its work in a transaction that is
 * committed (durable) before it returns; {@link #read} sees the last committed state.
 */
public interface Database extends AutoCloseable {
    <T> T read(SqlWork<T> work);

    <T> T write(SqlWork<T> work);

    /**
     * As {@link #write} for work that is one statement: where the database commits a lone
     * statement by itself (PostgreSQL in autocommit), it runs without BEGIN and COMMIT, one
     * round trip instead of three. Still committed (durable) before it returns.
     *
     * <p>A lone statement whose connection is lost before its answer may or may not have
     * committed, so it is never simply run again: {@code afterLoss} runs instead, on a new
     * connection, and must find out which (and finish the work if it did not).
     */
    default <T> T writeStatement(SqlWork<T> work, SqlWork<T> afterLoss) { return write(work); }

    /** Whether INSERT and UPDATE may stand inside WITH (PostgreSQL), so that one statement can do what would take several. */
    default boolean writableCtes() { return false; }

    /**
     * Runs {@code work} as one transaction: every {@link #read} and {@link #write} it makes on this
     * thread sees the others' changes and all of them commit together, or none when it throws.
     * Nested calls join the outer transaction. Transactions take turns with each other, across
     * processes too, so that what one reads cannot change under it before it commits.
     */
    <T> T transaction(java.util.function.Supplier<T> work);

    /** Whether this thread is inside a {@link #transaction}, where its writes commit only with the whole. */
    default boolean inTransaction() { return false; }

    /** Held for the rest of the migration transaction, where several processes could migrate at once. */
    default void lockForMigration(java.sql.Connection c) throws java.sql.SQLException {
    }

    @Override
    void close();
}
