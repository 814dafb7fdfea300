package dev.jeton.secrets;

import dev.jeton.model.Failure;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where Argon2id hashes run: platform threads of their own, one per core, each with a work area
 * it keeps. A hash is tens of milliseconds of pure CPU; run on a virtual thread it would hold
 * one of the few carrier threads that every other request needs for as long, and a burst of
 * logins would stall the token endpoints. Here the OS shares the cores between the hashes and
 * the carriers. More hashes than cores would only hold more memory (19 MiB each by default)
 * without finishing sooner, so further logins wait in the queue. Threads that stay idle for a
 * minute end, and their work areas with them.
 */
final class Argon2Threads {
    private static final AtomicInteger NUMBER = new AtomicInteger();
    private static final byte[] EMPTY = new byte[0];

    private final ThreadPoolExecutor pool;
    private final ThreadLocal<long[]> areas = new ThreadLocal<>();

    Argon2Threads(int threads) {
        this.pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().name("jeton-argon2-" + NUMBER.incrementAndGet()).daemon(true).unstarted(r));
        pool.allowCoreThreadTimeOut(true);
    }

    byte[] hash(byte[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Future<byte[]> result = pool.submit(() -> Argon2id.hash(password, salt, EMPTY, EMPTY, memoryKib, iterations, parallelism,
                length, area(Argon2id.memoryLongs(memoryKib, parallelism))));
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw Failure.internal("interrupted while hashing a password", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OutOfMemoryError) {
                throw Failure.internal("password hashing needs " + (memoryKib / 1024) + " MiB per hash and the heap is too small:"
                        + " lower argon2-memory-kib or raise the heap (JETON_EXTRA_JAVA_OPTS=-Xmx...)", e.getCause());
            }
            throw Failure.internal("password hashing failed", e.getCause());
        }
    }

    /** This thread's work area, grown when a hash asks for more. Not cleared between hashes: every block is written before it is read. */
    private long[] area(int longs) {
        long[] area = areas.get();
        if (area == null || area.length < longs) {
            area = new long[longs];
            areas.set(area);
        }
        return area;
    }
}
