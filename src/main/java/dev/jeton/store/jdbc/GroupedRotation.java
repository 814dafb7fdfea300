package dev.jeton.store.jdbc;

import dev.jeton.store.RefreshStore.Rotation;
import dev.jeton.store.jdbc.OneStatementRotation.Request;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for the one-statement rotation: rotations that arrive while others are on their
 * way to the database go together in the next statement, one round trip and one commit (one WAL
 * flush) for all of them. Nobody waits for a group to fill: a rotation that finds a free slot goes
 * at once, alone if it is alone, so an idle server answers as fast as before. Under load the
 * groups grow by themselves to what arrived during the last commit.
 *
 * <p>Measured with two instances on one PostgreSQL (bench/pair), each rotation its own commit
 * kept the WAL flush and the pool's connections busy: about two commits per WAL flush, and
 * rotations queued for connections. Durability is the same: each caller returns only after the
 * commit that holds its rotation.
 *
 * <p>The caller that takes a slot runs the statement for itself and the others (no thread of its
 * own, nothing to stop); the others wait for their answers or for a slot.
 */
final class GroupedRotation {
    /** Statements in flight at once per store: while one waits for its flush, the next group gathers and goes. */
    private static final int SLOTS = 2;
    /** A bound on one statement's arrays; more waiting rotations go in the next. */
    private static final int MOST_PER_STATEMENT = 128;
    /** PostgreSQL's SQLState for a deadlock it broke by failing this statement (nothing of it committed). */
    private static final String DEADLOCK = "40P01";

    private final Database db;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private int inFlight;
    private long statements;

    GroupedRotation(Database db) { this.db = db; }

    /** ROTATED with the family, or empty when the general path must decide (nothing was changed). */
    Optional<Rotation> rotate(Request request) {
        if (db.inTransaction()) {
            // Its writes commit only with its transaction: it must not carry other callers' rotations into it.
            return db.writeStatement(c -> OneStatementRotation.tryRotate(c, List.of(request)).get(0),
                    c -> OneStatementRotation.afterLoss(c, List.of(request)).get(0));
        }
        Pending mine = new Pending(request);
        lock.lock();
        try {
            waiting.add(mine);
            while (!mine.answered) {
                if (inFlight < SLOTS && !waiting.isEmpty()) {
                    inFlight++;
                    statements++;
                    List<Pending> group = take();
                    lock.unlock();
                    try {
                        run(group);
                    } finally {
                        lock.lock();
                        for (Pending p : group) p.answered = true;
                        inFlight--;
                        changed.signalAll();
                    }
                } else {
                    changed.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.failure != null) throw mine.failure;
        return mine.result;
    }

    /** Rotations waiting for a slot (for tests). */
    int queued() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Statements sent so far (for tests: what the grouping saved). */
    long statements() {
        lock.lock();
        try {
            return statements;
        } finally {
            lock.unlock();
        }
    }

    private List<Pending> take() {
        List<Pending> group = new ArrayList<>(Math.min(waiting.size(), MOST_PER_STATEMENT));
        while (!waiting.isEmpty() && group.size() < MOST_PER_STATEMENT) group.add(waiting.poll());
        return group;
    }

    /** Gives every rotation of the group its result or the failure they share; marked answered under the lock, which publishes them. */
    private void run(List<Pending> group) {
        List<Request> requests = group.stream().map(p -> p.request).toList();
        try {
            List<Optional<Rotation>> results = db.writeStatement(c -> rotateAll(c, requests),
                    c -> OneStatementRotation.afterLoss(c, requests));
            for (int k = 0; k < group.size(); k++) group.get(k).result = results.get(k);
        } catch (RuntimeException e) {
            for (Pending p : group) p.failure = e;
        }
    }

    /**
     * Two groups on two connections (or instances) holding the same two families, in the rare case
     * of one token presented twice at once to each, may lock those rows in opposite orders;
     * PostgreSQL then fails one statement, which changed nothing, and its rotations go one by one.
     */
    private static List<Optional<Rotation>> rotateAll(Connection c, List<Request> requests) throws SQLException {
        try {
            return OneStatementRotation.tryRotate(c, requests);
        } catch (SQLException e) {
            if (!DEADLOCK.equals(e.getSQLState()) || requests.size() == 1) throw e;
            List<Optional<Rotation>> results = new ArrayList<>(requests.size());
            for (Request r : requests) results.add(OneStatementRotation.tryRotate(c, List.of(r)).get(0));
            return results;
        }
    }

    private static final class Pending {
        final Request request;
        boolean answered;
        Optional<Rotation> result;
        RuntimeException failure;

        Pending(Request request) { this.request = request; }
    }
}
