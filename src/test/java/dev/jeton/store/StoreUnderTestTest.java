package dev.jeton.store;

import dev.jeton.support.Jetons;
import dev.jeton.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Guards the suite's parameterisation: in the postgres run, Jeton instances really are on PostgreSQL. */
class StoreUnderTestTest {
    @TempDir
    Path dir;

    @Test
    void storeWhenSuiteRunsThenTheSelectedOne() {
        try (Jetons.Running jeton = Jetons.start(dir)) {
            String store = jeton.wiring().config().store();
            if (TestPostgres.selected()) {
                assertThat(store).startsWith("postgresql://");
            } else {
                assertThat(store).isEmpty();
            }
            assertThat(jeton.wiring().admin().accounts().users()).isNotEmpty();
        }
    }
}
