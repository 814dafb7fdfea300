package dev.jeton.store.sqlite;

import java.time.Duration;

/**
 * When the writer copies the WAL into the database file. SQLite's automatic checkpoint runs
 * inside the commit that takes the WAL past 1,000 pages, so that batch's callers, and every
 * write queued behind them, wait for the copy and the database file's fsync. The writer turns it
 * off and checkpoints between batches instead: once its queue is empty (nobody waits) and at
 * least {@code idleGapNanos} after the last checkpoint, or after {@code maxGapNanos} even under
 * a load that never leaves the queue empty, so the WAL stays bounded. Run on the writer, a
 * checkpoint has no writer of this process beside it and copies every frame no reader still
 * needs (usually all of them), so the next write starts the WAL again from its beginning. A
 * checkpoint on a thread of its own was tried: racing the writer it seldom caught up, and the WAL
 * grew (bench/README.md, seventh round).
 */
final class CheckpointSchedule {
    private final long idleGapNanos;
    private final long maxGapNanos;
    private long lastCheckpoint;
    private boolean written;

    CheckpointSchedule(Duration idleGap, Duration maxGap, long nowNanos) {
        this.idleGapNanos = idleGap.toNanos();
        this.maxGapNanos = maxGap.toNanos();
        this.lastCheckpoint = nowNanos;
    }

    /** The writer committed a batch. */
    void committed() {
        written = true;
    }

    /** Whether to checkpoint now; {@code idle}: no write is waiting. */
    boolean due(boolean idle, long nowNanos) {
        if (!written) return false;
        long since = nowNanos - lastCheckpoint;
        return idle ? since >= idleGapNanos : since >= maxGapNanos;
    }

    /** The writer ran a checkpoint. */
    void checkpointed(long nowNanos) {
        lastCheckpoint = nowNanos;
        written = false;
    }
}
