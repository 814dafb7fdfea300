package dev.jeton.secrets;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * The work areas Argon2id hashes in, and the limit on hashes at once. A hash is all CPU, so
 * more hashes than cores only multiply the memory held (each holds the full cost, 19 MiB by
 * default) without finishing any sooner; beyond that many, logins wait their turn. Areas are
 * kept and reused, so a stream of logins allocates nothing after the first few.
 */
final class Argon2Memory {
    private final Semaphore slots;
    private final ConcurrentLinkedQueue<long[]> idle = new ConcurrentLinkedQueue<>();

    Argon2Memory(int concurrentHashes) {
        this.slots = new Semaphore(concurrentHashes, true);
    }

    /** Waits for a slot; the area returned holds at least {@code longs} and must be given back. */
    long[] take(int longs) {
        slots.acquireUninterruptibly();
        long[] area = idle.poll();
        return area != null && area.length >= longs ? area : new long[longs];
    }

    void giveBack(long[] area) {
        idle.offer(area);
        slots.release();
    }
}
