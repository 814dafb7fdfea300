package dev.jeton.engine;

import dev.jeton.model.Client;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.store.Databases;
import dev.jeton.store.Store;
import dev.jeton.store.jdbc.JdbcStore;
import dev.jeton.support.MutableClock;
import dev.jeton.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory client directory holds a bounded number of clients and still finds every client of the store. */
class ClientDirectoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration RECHECK = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private Store store;
    private final MutableClock clock = new MutableClock(T0);

    @BeforeEach
    void open() {
        store = new JdbcStore(TestPostgres.selected() ? Databases.open(TestPostgres.newDatabase(), null, 4, null)
                : Databases.open("sqlite:" + dir.resolve("clients.db"), null, 4, null));
    }

    @AfterEach
    void close() { store.close(); }

    private void add(String clientId) {
        store.clients().add(new Client("id-" + clientId, clientId, new byte[32], Set.of(GrantType.CLIENT_CREDENTIALS), Set.of("read"),
                List.of(), List.of(), null, null, RefreshPolicy.ROTATING, false, T0));
    }

    @Test
    void byClientIdWhenMoreClientsThanTheBoundThenAtMostTheBoundIsHeldAndEveryOneIsFound() {
        for (int i = 0; i < 40; i++) add("app-" + i);
        ClientDirectory directory = new ClientDirectory(store.clients(), RECHECK, clock, 8);

        for (int i = 0; i < 40; i++) assertThat(directory.byClientId("app-" + i)).isPresent();

        assertThat(directory.held()).isLessThanOrEqualTo(8);
        assertThat(directory.byClientId("app-0")).as("evicted, read again from the store").isPresent();
    }

    @Test
    void byClientIdWhenTheIdIsUnknownThenNothingIsHeld() {
        ClientDirectory directory = new ClientDirectory(store.clients(), RECHECK, clock, 8);

        for (int i = 0; i < 20; i++) assertThat(directory.byClientId("made-up-" + i)).isEmpty();

        assertThat(directory.held()).isZero();
    }

    @Test
    void byClientIdWhenAnotherProcessAddsAClientThenItIsFoundAtItsFirstUse() {
        ClientDirectory directory = new ClientDirectory(store.clients(), RECHECK, clock);
        assertThat(directory.byClientId("late")).isEmpty();

        add("late");   // as another instance would: no invalidate here, no clock moved

        assertThat(directory.byClientId("late")).isPresent();
    }
}
