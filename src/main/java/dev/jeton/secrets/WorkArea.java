package dev.jeton.secrets;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

/**
 * One Argon2id work area, in native memory rather than on the heap. On the heap, the areas
 * (19 MiB per core at the default cost) sat in the old generation for as long as logins came, so
 * the heap's limit had to hold them beside everything else, and a long-running server kept that
 * whole limit resident. Out of the heap they cost memory only while they exist, and
 * {@link WorkAreas} frees them when logins stop.
 *
 * <p>On Java 22 and later an area is allocated from an {@code Arena} and freed at once by
 * {@link #free()}. Jeton compiles for Java 21, where that API is a preview, so it is reached
 * through method handles, looked up once. On Java 21 an area is a direct buffer, which the
 * collector frees some time after it is dropped.
 */
final class WorkArea {
    private static final ArenaHandles ARENAS = ArenaHandles.find();

    private final LongBuffer longs;
    private final AutoCloseable arena;

    private WorkArea(LongBuffer longs, AutoCloseable arena) {
        this.longs = longs;
        this.arena = arena;
    }

    /** A new area of {@code count} longs, its content undefined. */
    static WorkArea allocate(int count) {
        long bytes = (long) count * Long.BYTES;
        // A buffer indexes its bytes with an int; a cost beyond that (2 GiB) is refused as too large to allocate.
        if (bytes > Integer.MAX_VALUE) throw new OutOfMemoryError("a work area of " + (bytes >> 20) + " MiB is larger than a buffer can be");
        if (ARENAS == null) return new WorkArea(view(ByteBuffer.allocateDirect((int) bytes)), null);
        AutoCloseable arena = ARENAS.open();
        try {
            return new WorkArea(view(ARENAS.allocate(arena, bytes)), arena);
        } catch (RuntimeException | Error e) {
            close(arena);
            throw e;
        }
    }

    /** Whether this area can be handed out by the JDK's Arena (Java 22+) and freed at once. */
    static boolean freedAtOnce() {
        return ARENAS != null;
    }

    LongBuffer longs() {
        return longs;
    }

    int size() {
        return longs.capacity();
    }

    /** Gives the memory back; the area must not be used again (on Java 22+ using it would throw). */
    void free() {
        if (arena != null) close(arena);
    }

    private static LongBuffer view(ByteBuffer bytes) {
        return bytes.order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    private static void close(AutoCloseable arena) {
        try {
            arena.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not free a password hashing work area", e);
        }
    }

    /** Arena.ofShared(), Arena.allocate(size, alignment) and MemorySegment.asByteBuffer(), where the JDK has them final. */
    private record ArenaHandles(MethodHandle ofShared, MethodHandle allocate, MethodHandle asByteBuffer) {
        static ArenaHandles find() {
            if (Runtime.version().feature() < 22) return null;
            try {
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                return new ArenaHandles(
                        lookup.findStatic(arena, "ofShared", MethodType.methodType(arena)),
                        lookup.findVirtual(arena, "allocate", MethodType.methodType(segment, long.class, long.class)),
                        lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Java " + Runtime.version().feature() + " has no java.lang.foreign.Arena", e);
            }
        }

        AutoCloseable open() {
            try {
                return (AutoCloseable) ofShared.invoke();
            } catch (Throwable e) {
                throw rethrown(e);
            }
        }

        ByteBuffer allocate(AutoCloseable arena, long bytes) {
            try {
                // Aligned to a cache line, as the blocks are read whole.
                return (ByteBuffer) asByteBuffer.invoke(allocate.invoke(arena, bytes, 64L));
            } catch (Throwable e) {
                throw rethrown(e);
            }
        }

        private static RuntimeException rethrown(Throwable e) {
            if (e instanceof RuntimeException runtime) return runtime;
            if (e instanceof Error error) throw error;
            return new IllegalStateException(e);
        }
    }
}
