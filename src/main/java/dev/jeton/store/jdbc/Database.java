package dev.jeton.store.jdbc;

/**
 * How the JDBC ports reach a database. {@link #write} runs its work in a transaction that is
 * committed (durable) before it returns; {@link #read} sees the last committed state.
 */
public interface Database extends AutoCloseable {
    <T> T read(SqlWork<T> work);

    <T> T write(SqlWork<T> work);

    @Override
    void close();
}
