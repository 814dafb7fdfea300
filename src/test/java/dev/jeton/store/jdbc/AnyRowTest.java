package dev.jeton.store.jdbc;

import dev.jeton.model.Client;
import dev.jeton.model.GrantType;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.User;
import dev.jeton.store.Databases;
import dev.jeton.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single-row reads that replaced whole-table reads: the first-start check (any(), not list()) and
 * the identity a token names (byObjectId, not a search through list()).
 */
class AnyRowTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;
    private JdbcStore store;

    @BeforeEach
    void open() {
        store = new JdbcStore(TestPostgres.selected() ? Databases.open(TestPostgres.newDatabase(), null, 4, null)
                : Databases.open("sqlite:" + dir.resolve("any.db"), null, 4, null));
    }

    @AfterEach
    void close() { store.close(); }

    @Test
    void anyWhenTablesEmptyThenFalseAndAfterOneRowTrue() {
        assertThat(store.users().any()).isFalse();
        assertThat(store.clients().any()).isFalse();

        store.users().add(new User("u-1", "ada", null, false, List.of("dev"), T0));
        assertThat(store.users().any()).isTrue();
        assertThat(store.clients().any()).isFalse();

        store.clients().add(new Client("c-1", "app", new byte[32], Set.of(GrantType.CLIENT_CREDENTIALS), Set.of(), List.of(), List.of(),
                null, null, RefreshPolicy.ROTATING, false, T0));
        assertThat(store.clients().any()).isTrue();
    }

    @Test
    void byObjectIdWhenTheIdentityExistsThenFoundWithItsNodesElseEmpty() {
        ManagedIdentity vm = new ManagedIdentity("i-1", "vm", "client-1", "object-1", "/rid/vm", "tenant", null, List.of("node-a"), T0);
        store.identities().add(vm);
        store.identities().add(new ManagedIdentity("i-2", "other", "client-2", "object-2", "/rid/other", "tenant", "node-b", List.of(), T0));

        assertThat(store.identities().byObjectId("object-1")).get().usingRecursiveComparison().isEqualTo(vm);
        assertThat(store.identities().byObjectId("client-1")).as("a client id is not an object id").isEmpty();
        assertThat(store.identities().byObjectId("object-3")).isEmpty();
    }
}
