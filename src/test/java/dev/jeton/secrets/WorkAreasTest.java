package dev.jeton.secrets;

import org.junit.jupiter.api.Test;

import java.nio.LongBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkAreasTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void takeWhenAnAreaWasGivenBackThenTheNewestIsReused() {
        WorkAreas areas = new WorkAreas(10 * SECOND);
        WorkArea first = areas.take(1024);
        WorkArea second = areas.take(1024);
        areas.give(first, 0);
        areas.give(second, 1);

        assertThat(areas.take(1024)).isSameAs(second);
        assertThat(areas.take(1024)).isSameAs(first);
        assertThat(areas.take(1024)).isNotIn(first, second);
    }

    @Test
    void giveWhenOtherAreasIdleLongerThanTheIdleTimeThenTheyAreFreed() {
        WorkAreas areas = new WorkAreas(10 * SECOND);
        WorkArea old = areas.take(1024);
        WorkArea recent = areas.take(1024);
        areas.give(old, 0);
        areas.give(recent, 9 * SECOND);
        assertThat(areas.kept()).isEqualTo(2);

        areas.freeIdle(10 * SECOND);

        assertThat(areas.kept()).isEqualTo(1);
        assertThat(areas.take(1024)).isSameAs(recent);
        if (WorkArea.freedAtOnce()) assertThatThrownBy(() -> old.longs().get(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void takeWhenTheFreeAreaIsTooSmallThenItIsFreedAndALargerOneMade() {
        WorkAreas areas = new WorkAreas(10 * SECOND);
        WorkArea small = areas.take(1024);
        areas.give(small, 0);

        WorkArea large = areas.take(4096);

        assertThat(large.size()).isEqualTo(4096);
        assertThat(areas.kept()).isZero();
        if (WorkArea.freedAtOnce()) assertThatThrownBy(() -> small.longs().get(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void allocateWhenJava22OrLaterThenOutsideTheHeapAndFreedAtOnce() {
        WorkArea area = WorkArea.allocate(Argon2id.memoryLongs(19456, 1));
        LongBuffer longs = area.longs();
        assertThat(longs.isDirect()).isTrue();
        assertThat(longs.capacity()).isEqualTo(19456 * 128);
        longs.put(longs.capacity() - 1, 42);
        assertThat(longs.get(longs.capacity() - 1)).isEqualTo(42);

        area.free();

        assertThat(WorkArea.freedAtOnce()).as("Java %s", Runtime.version()).isEqualTo(Runtime.version().feature() >= 22);
        if (WorkArea.freedAtOnce()) assertThatThrownBy(() -> longs.get(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void allocateWhenLargerThanABufferCanBeThenOutOfMemoryNamingTheSize() {
        assertThatThrownBy(() -> WorkArea.allocate(Argon2id.memoryLongs(4_000_000, 1)))
                .isInstanceOf(OutOfMemoryError.class).hasMessageContaining("3906 MiB");
    }

    @Test
    void hashWhenLoginsStopThenThreadsEndAndEveryAreaIsFreed() throws Exception {
        Argon2Threads threads = new Argon2Threads(2, Duration.ofMillis(300).toNanos());
        byte[] expected = threads.hash(new byte[] {1}, new byte[16], 256, 1, 1, 32);
        AtomicInteger wrong = new AtomicInteger();
        try (var callers = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 40; i++) {
                callers.submit(() -> {
                    if (!HexFormat.of().formatHex(threads.hash(new byte[] {1}, new byte[16], 256, 1, 1, 32))
                            .equals(HexFormat.of().formatHex(expected))) wrong.incrementAndGet();
                });
            }
        }
        assertThat(wrong).hasValue(0);
        assertThat(threads.areasKept()).isBetween(1, 2);

        long deadline = System.nanoTime() + 5 * SECOND;
        while ((threads.threadsAlive() > 0 || threads.areasKept() > 0) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(threads.threadsAlive()).isZero();
        assertThat(threads.areasKept()).isZero();
        assertThat(threads.hash(new byte[] {1}, new byte[16], 256, 1, 1, 32)).isEqualTo(expected);
    }
}
