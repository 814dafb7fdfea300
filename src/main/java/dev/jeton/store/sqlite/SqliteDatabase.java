package dev.jeton.store.sqlite;

import dev.jeton.model.Failure;
import dev.jeton.store.jdbc.Database;
import dev.jeton.store.jdbc.SqlWork;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One SQLite file in WAL mode. SQLite has one writer at a time, so instead of many threads
 * queueing on its lock, all writes go to one writer thread that takes whatever is waiting,
 * runs each piece under its own savepoint inside one transaction, commits once (one fsync for
 * the batch: group commit), and only then completes each caller. Reads use a small pool of
 * their own connections and see the last commit.
 */
public final class SqliteDatabase implements Database {
    private static final System.Logger LOG = System.getLogger(SqliteDatabase.class.getName());
    private static final int MAX_BATCH = 256;
    /** Checkpoints between batches (CheckpointSchedule): at most every 100 ms when idle, at least every second. */
    private static final Duration CHECKPOINT_IDLE_GAP = Duration.ofMillis(100);
    private static final Duration CHECKPOINT_MAX_GAP = Duration.ofSeconds(1);

    private final String url;
    private final BlockingQueue<Connection> readers;
    private final int maxReaders;
    private final java.util.concurrent.atomic.AtomicInteger openedReaders = new java.util.concurrent.atomic.AtomicInteger();
    private final BlockingQueue<Pending<?>> writes = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    /** Only the writer thread reads and sets it. */
    private boolean checkpointFailing;

    public SqliteDatabase(Path file, int readConnections) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create directory for " + file, e);
        }
        this.url = "jdbc:sqlite:" + file.toAbsolutePath();
        this.readers = new ArrayBlockingQueue<>(readConnections);
        Connection writeConnection = StatementCache.wrap(open());
        // A plain Statement, not run(): this PRAGMA answers with a row, and a cached statement left
        // holding it would keep the next COMMIT from succeeding (the checkpoint's PRAGMA likewise).
        try (Statement s = writeConnection.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=0");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot configure SQLite database " + url, e);
        }
        this.maxReaders = readConnections;
        // One reader now, the rest when concurrent reads ask for them: each costs start-up time.
        readers.add(StatementCache.wrap(open()));
        openedReaders.set(1);
        this.writer = Thread.ofPlatform().name("jeton-sqlite-writer").daemon(true).start(() -> writeLoop(writeConnection));
    }

    private Connection open() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a commit is on disk before its callers hear of it, power loss included.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        try {
            // Autocommit on both: with it off, the driver keeps a transaction (and, for writers,
            // the write lock) open between batches, which would lock out the CLI and other processes.
            return DriverManager.getConnection(url, config.toProperties());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open SQLite database " + url, e);
        }
    }

    /** The writer connection, on the writer thread, while it runs a {@link #transaction}. */
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    @Override
    public boolean inTransaction() { return bound.get() != null; }

    /**
     * The whole of {@code work} runs on the writer thread as one piece of a batch (under its own
     * savepoint), so its writes and reads share the writer connection and commit or roll back together.
     */
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
    public <T> T read(SqlWork<T> work) {
        Connection inTransaction = bound.get();
        if (inTransaction != null) return runBound(inTransaction, work, "database read failed");
        Connection c = readers.poll();
        try {
            if (c == null) {
                if (openedReaders.incrementAndGet() <= maxReaders) {
                    try {
                        c = StatementCache.wrap(open());
                    } catch (RuntimeException e) {
                        openedReaders.decrementAndGet();
                        throw e;
                    }
                } else {
                    openedReaders.decrementAndGet();
                    c = readers.take();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.internal("interrupted while waiting for a database connection", e);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw Failure.internal("database read failed", e);
        } finally {
            readers.add(c);
        }
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        Connection inTransaction = bound.get();
        if (inTransaction != null) return runBound(inTransaction, work, "database write failed");
        if (closed) throw Failure.internal("database is closed", null);
        Pending<T> pending = new Pending<>(work, new CompletableFuture<>());
        writes.add(pending);
        try {
            return pending.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw Failure.internal("database write failed", e.getCause());
        }
    }

    private void writeLoop(Connection c) {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        CheckpointSchedule checkpoints = new CheckpointSchedule(CHECKPOINT_IDLE_GAP, CHECKPOINT_MAX_GAP, System.nanoTime());
        while (true) {
            try {
                Pending<?> first = writes.take();
                if (first.isPoison()) break;
                batch.add(first);
                writes.drainTo(batch, MAX_BATCH - 1);
                boolean stop = batch.removeIf(Pending::isPoison);
                try {
                    if (commitBatch(c, batch)) checkpoints.committed();
                } catch (Throwable fatal) {
                    // An Error inside one caller's work must not kill the only writer: fail this batch, go on.
                    LOG.log(System.Logger.Level.ERROR, "SQLite write batch failed", fatal);
                    rollbackQuietly(c);
                    Failure failure = Failure.internal("database write failed", fatal);
                    batch.forEach(p -> p.result().completeExceptionally(failure));
                }
                batch.clear();
                if (stop) break;
                if (checkpoints.due(writes.isEmpty(), System.nanoTime())) {
                    checkpoint(c);
                    checkpoints.checkpointed(System.nanoTime());
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "closing SQLite writer failed", e);
        }
    }

    /** PASSIVE: waits for no reader; a failure leaves the frames for the next checkpoint, and is logged once until one works. */
    private void checkpoint(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
            checkpointFailing = false;
        } catch (SQLException e) {
            if (!checkpointFailing) LOG.log(System.Logger.Level.WARNING, "SQLite checkpoint failed: " + e.getMessage());
            checkpointFailing = true;
        }
    }

    /** Whether the batch committed. */
    private boolean commitBatch(Connection c, List<Pending<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        try {
            // IMMEDIATE takes the write lock now (waiting up to busy_timeout for other processes).
            run(c, "BEGIN IMMEDIATE");
            try {
                for (int i = 0; i < batch.size(); i++) {
                    run(c, "SAVEPOINT work");
                    try {
                        results[i] = batch.get(i).work().run(c);
                        run(c, "RELEASE work");
                    } catch (Exception e) {
                        // One caller's failure must not undo the others' work in this batch.
                        run(c, "ROLLBACK TO work");
                        run(c, "RELEASE work");
                        failures[i] = e;
                    }
                }
                run(c, "COMMIT");
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            Failure failure = Failure.internal("database commit failed", e);
            batch.forEach(p -> p.result().completeExceptionally(failure));
            return false;
        }
        for (int i = 0; i < batch.size(); i++) batch.get(i).complete(results[i], failures[i]);
        return true;
    }

    private static <T> T runBound(Connection c, SqlWork<T> work, String failure) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw Failure.internal(failure, e);
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            run(c, "ROLLBACK");
        } catch (SQLException ignored) {
            // No transaction left to roll back: the callers get the original failure.
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        writes.add(Pending.poison());
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : readers) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "closing SQLite reader failed", e);
            }
        }
    }

    private record Pending<T>(SqlWork<T> work, CompletableFuture<T> result) {
        static Pending<Object> poison() { return new Pending<>(null, new CompletableFuture<>()); }

        boolean isPoison() { return work == null; }

        @SuppressWarnings("unchecked")
        void complete(Object value, Throwable failure) {
            if (failure == null) {
                result.complete((T) value);
            } else if (failure instanceof RuntimeException r) {
                result.completeExceptionally(r);
            } else {
                result.completeExceptionally(Failure.internal("database write failed", failure));
            }
        }
    }
}
