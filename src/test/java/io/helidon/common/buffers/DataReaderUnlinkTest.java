package io.helidon.common.buffers;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jeton's copy of Helidon's DataReader unlinks each node it has consumed. A consumed node that
 * stays in memory (in production: one that a full collection promoted and that now lies dead in
 * the old generation) must not keep the data read after it reachable.
 */
class DataReaderUnlinkTest {

    @Test
    void readWhenAnEarlierNodeIsStillHeldThenLaterConsumedDataCanBeCollected() throws Exception {
        List<WeakReference<byte[]>> chunks = new ArrayList<>();
        DataReader reader = new DataReader(() -> {
            byte[] chunk = {(byte) ('a' + chunks.size())};
            chunks.add(new WeakReference<>(chunk));
            return chunk;
        });

        assertThat(reader.read()).isEqualTo((byte) 'a');
        Object first = head(reader);            // held, as a dead node in the old generation is
        assertThat(reader.read()).isEqualTo((byte) 'b');
        assertThat(reader.read()).isEqualTo((byte) 'c');
        assertThat(reader.read()).isEqualTo((byte) 'd');  // 'b' and 'c' are consumed and behind the head

        for (int i = 0; i < 20 && chunks.get(1).get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(chunks.get(1).get()).as("the chunk read after the held node").isNull();
        assertThat(chunks.get(2).get()).isNull();
        assertThat(first).isNotNull();
    }

    private static Object head(DataReader reader) throws ReflectiveOperationException {
        Field head = DataReader.class.getDeclaredField("head");
        head.setAccessible(true);
        return head.get(reader);
    }
}
