package dev.jeton.secrets;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The work areas Argon2id hashes borrow, kept between hashes and freed when idle. A login reuses
 * the area the last one gave back (the newest first), so logins that never overlap hold one
 * area however many threads hash, and an area left over from a burst ages at the bottom until it
 * is freed. At most one area exists per hash running at once: the threads bound both.
 */
final class WorkAreas {
    private final long idleNanos;
    private final ArrayDeque<Idle> free = new ArrayDeque<>();

    /** A free area and when it was given back. */
    private record Idle(WorkArea area, long sinceNanos) {
    }

    WorkAreas(long idleNanos) {
        this.idleNanos = idleNanos;
    }

    /**
     * An area of at least {@code longs} longs: the newest free one, else a new one. A reused area
     * holds what the last hash left; it is not cleared, as Argon2id writes every block before it
     * reads it.
     */
    WorkArea take(int longs) {
        Idle idle;
        synchronized (this) {
            idle = free.pollFirst();
        }
        WorkArea area = idle == null ? null : idle.area();
        if (area != null && area.size() >= longs) return area;
        if (area != null) area.free();   // made for a cheaper cost than this hash's
        return WorkArea.allocate(longs);
    }

    /** Returns an area after a hash, and frees those idle longer than the idle time. */
    void give(WorkArea area, long nowNanos) {
        synchronized (this) {
            free.addFirst(new Idle(area, nowNanos));
        }
        freeIdle(nowNanos);
    }

    /** Frees the areas idle for the idle time or longer. */
    void freeIdle(long nowNanos) {
        ArrayDeque<WorkArea> expired = new ArrayDeque<>();
        synchronized (this) {
            for (Iterator<Idle> oldest = free.descendingIterator(); oldest.hasNext(); ) {
                Idle idle = oldest.next();
                if (nowNanos - idle.sinceNanos() < idleNanos) break;
                oldest.remove();
                expired.add(idle.area());
            }
        }
        expired.forEach(WorkArea::free);   // outside the lock: closing a shared arena waits for every thread
    }

    /** How many free areas are kept: for tests. */
    synchronized int kept() {
        return free.size();
    }
}
