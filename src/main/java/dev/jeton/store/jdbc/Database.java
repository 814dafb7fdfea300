package dev.jeton.store.jdbc;

/**
 * How the JDBC ports reach a database. {@link #write} runs its work in a transaction that is
 * committed (durable) before it returns; {@link #read} sees the last committed state.
 */
public interface Database extends AutoCloseable {
    <T> T read(SqlWork<T> work);

    <T> T write(SqlWork<T> work);

    /**
     * Runs {@code work} as one transaction: every {@link #read} and {@link #write} it makes on this
     * thread sees the others' changes and all of them commit together, or none when it throws.
     * Nested calls join the outer transaction. Transactions take turns with each other, across
     * processes too, so that what one reads cannot change under it before it commits.
     */
    <T> T transaction(java.util.function.Supplier<T> work);

    /** Held for the rest of the migration transaction, where several processes could migrate at once. */
    default void lockForMigration(java.sql.Connection c) throws java.sql.SQLException {
    }

    @Override
    void close();
}
