package dev.jeton.secrets;

import dev.jeton.model.Failure;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where Argon2id hashes run: platform threads of their own, one per core. A hash is tens of
 * milliseconds of pure CPU; run on a virtual thread it would hold one of the few carrier threads
 * that every other request needs for as long, and a burst of logins would stall the token
 * endpoints. Here the OS shares the cores between the hashes and the carriers. More hashes than
 * cores would only hold more memory (19 MiB each by default) without finishing sooner, so further
 * logins wait in the queue. Each hash borrows a work area from {@link WorkAreas}; an area idle
 * for {@link #IDLE_SECONDS} is freed, and a thread idle as long ends and frees what is left, so a
 * server whose logins have stopped holds no area.
 */
final class Argon2Threads {
    /** Long enough to keep an area between the logins of a burst, short enough to give it back soon after. */
    static final int IDLE_SECONDS = 10;
    private static final AtomicInteger NUMBER = new AtomicInteger();
    private static final byte[] EMPTY = new byte[0];

    private final WorkAreas areas;
    private final ThreadPoolExecutor pool;

    Argon2Threads(int threads) {
        this(threads, TimeUnit.SECONDS.toNanos(IDLE_SECONDS));
    }

    Argon2Threads(int threads, long idleNanos) {
        this.areas = new WorkAreas(idleNanos);
        this.pool = new ThreadPoolExecutor(threads, threads, idleNanos, TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(),
                worker -> Thread.ofPlatform().name("jeton-argon2-" + NUMBER.incrementAndGet()).daemon(true).unstarted(() -> {
                    try {
                        worker.run();
                    } finally {
                        // The thread ends after the idle time without a hash: the areas given back before are as idle.
                        areas.freeIdle(System.nanoTime());
                    }
                }));
        pool.allowCoreThreadTimeOut(true);
    }

    byte[] hash(byte[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Future<byte[]> result = pool.submit(() -> {
            WorkArea area = areas.take(Argon2id.memoryLongs(memoryKib, parallelism));
            try {
                return Argon2id.hash(password, salt, EMPTY, EMPTY, memoryKib, iterations, parallelism, length, area.longs());
            } finally {
                areas.give(area, System.nanoTime());
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw Failure.internal("interrupted while hashing a password", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OutOfMemoryError) {
                throw Failure.internal("password hashing needs " + (memoryKib / 1024) + " MiB per hash and could not allocate it ("
                        + e.getCause().getMessage() + "): lower argon2-memory-kib, or give the process more memory", e.getCause());
            }
            throw Failure.internal("password hashing failed", e.getCause());
        }
    }

    /** The threads alive and the work areas kept: for tests. */
    int threadsAlive() {
        return pool.getPoolSize();
    }

    int areasKept() {
        return areas.kept();
    }
}
