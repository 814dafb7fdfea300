package dev.jeton.http.helidon;

import dev.jeton.http.JetonServer;
import io.helidon.common.buffers.DataReader;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DataReader that runs is the one patches/helidon/ makes at build time, and it lets go of
 * what it has consumed. The class path here is the one the launcher uses: Jeton's classes, then
 * Helidon's jars.
 */
class DataReaderPatchTest {

    @Test
    void classWhenLoadedThenItIsThePatchedOneCompiledWithJeton() {
        assertThat(DataReaderPatch.inUse()).isTrue();
        assertThat(DataReader.class.getProtectionDomain().getCodeSource().getLocation())
                .as("where DataReader was loaded from")
                .isEqualTo(JetonServer.class.getProtectionDomain().getCodeSource().getLocation());
    }

    /**
     * A consumed node that stays in memory (in a server: one that a full collection moved to the
     * old generation, where it lies dead until the next full collection) must not keep the data
     * read after it reachable. Helidon's own DataReader fails this.
     */
    @Test
    void readWhenAnEarlierNodeIsStillHeldThenLaterConsumedChunksCanBeCollected() throws ReflectiveOperationException {
        List<WeakReference<byte[]>> chunks = new ArrayList<>();
        Supplier<byte[]> socket = () -> {
            byte[] chunk = {(byte) ('a' + chunks.size())};
            chunks.add(new WeakReference<>(chunk));
            return chunk;
        };
        DataReader reader = DataReader.create(socket);

        assertThat(reader.read()).isEqualTo((byte) 'a');
        Object held = head(reader);
        assertThat(reader.read()).isEqualTo((byte) 'b');
        assertThat(reader.read()).isEqualTo((byte) 'c');
        assertThat(reader.read()).isEqualTo((byte) 'd');   // 'b' and 'c' are consumed, behind the head

        for (int i = 0; i < 50 && (chunks.get(1).get() != null || chunks.get(2).get() != null); i++) {
            System.gc();
        }
        assertThat(chunks.get(1).get()).as("the chunk read after the held node").isNull();
        assertThat(chunks.get(2).get()).isNull();
        assertThat(held).isNotNull();
    }

    private static Object head(DataReader reader) throws ReflectiveOperationException {
        Field head = DataReader.class.getDeclaredField("head");
        head.setAccessible(true);
        return head.get(reader);
    }
}
