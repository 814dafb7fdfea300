package dev.jeton.store;

import dev.jeton.model.LoginSession;
import dev.jeton.model.RelyingParty;
import dev.jeton.store.jdbc.Database;
import dev.jeton.store.jdbc.JdbcStore;
import dev.jeton.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Login sessions, consents and relying-party settings on whichever database the suite runs on (SQLite, then PostgreSQL). */
class SessionStoreContractTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;
    private Store store;

    @BeforeEach
    void open() {
        Database db = TestPostgres.selected() ? Databases.open(TestPostgres.newDatabase(), null, 16, null)
                : Databases.open("sqlite:" + dir.resolve("sessions.db"), null, 4, null);
        store = new JdbcStore(db);
    }

    @AfterEach
    void close() { store.close(); }

    private static byte[] hash(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static LoginSession session(String id, String user, Instant at) {
        return new LoginSession(id, user, at, "1", List.of("pwd"), "cred", at, at.plus(Duration.ofHours(8)), at.plus(Duration.ofHours(24)), null);
    }

    @Test
    void sessionWhenCreatedThenFoundByHashAndIdOnlyWhileActive() throws Exception {
        LoginSession s = session("s-1", "u-1", T0);
        store.sessions().create(hash("cookie-1"), s);
        assertThat(store.sessions().byHash(hash("cookie-1"))).contains(s);
        assertThat(store.sessions().byId("s-1")).contains(s);
        assertThat(store.sessions().byHash(hash("cookie-2"))).isEmpty();

        assertThat(store.sessions().touch("s-1", T0.plus(Duration.ofHours(9)), T0.plusSeconds(60))).isTrue();
        assertThat(store.sessions().byId("s-1").orElseThrow().idleExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(9)));
        // Past its idle expiry a session cannot be moved forward again.
        assertThat(store.sessions().touch("s-1", T0.plus(Duration.ofHours(20)), T0.plus(Duration.ofHours(10)))).isFalse();
        assertThat(store.sessions().active(null, T0.plus(Duration.ofHours(10)))).isEmpty();
        assertThat(store.sessions().active(null, T0.plusSeconds(60))).extracting(LoginSession::id).containsExactly("s-1");
    }

    @Test
    void revokeWhenRacedThenExactlyOneCallerEndsTheSession() throws Exception {
        store.sessions().create(hash("cookie-1"), session("s-1", "u-1", T0));
        int n = 64;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) results.add(pool.submit(() -> {
                go.await();
                return store.sessions().revoke("s-1", T0.plusSeconds(1));
            }));
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : results) if (f.get()) won++;
            assertThat(won).isEqualTo(1);
        }
        assertThat(store.sessions().byId("s-1").orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(store.sessions().touch("s-1", T0.plus(Duration.ofHours(9)), T0.plusSeconds(2))).isFalse();
    }

    @Test
    void revokeUserWhenSeveralSessionsThenAllOfThatUserEndAndOthersStay() throws Exception {
        store.sessions().create(hash("a"), session("s-a", "u-1", T0));
        store.sessions().create(hash("b"), session("s-b", "u-1", T0.plusSeconds(1)));
        store.sessions().create(hash("c"), session("s-c", "u-2", T0));
        assertThat(store.sessions().active("u-1", T0.plusSeconds(2))).extracting(LoginSession::id).containsExactly("s-b", "s-a");
        assertThat(store.sessions().revokeUser("u-1", T0.plusSeconds(5))).containsExactlyInAnyOrder("s-a", "s-b");
        assertThat(store.sessions().active(null, T0.plusSeconds(6))).extracting(LoginSession::id).containsExactly("s-c");
    }

    @Test
    void clientsWhenAddedTwiceThenListedOnceAndSweptWithTheSession() throws Exception {
        store.sessions().create(hash("a"), session("s-a", "u-1", T0));
        store.sessions().addClient("s-a", "web");
        store.sessions().addClient("s-a", "web");
        store.sessions().addClient("s-a", "api");
        assertThat(store.sessions().clients("s-a")).containsExactly("api", "web");
        assertThat(store.sessions().deleteExpired(T0.plus(Duration.ofHours(9)))).isEqualTo(1);
        assertThat(store.sessions().clients("s-a")).isEmpty();
        assertThat(store.sessions().byId("s-a")).isEmpty();
    }

    @Test
    void consentsAndRelyingPartiesWhenWrittenAgainThenMergedOrReplaced() {
        store.consents().grant("u-1", "web", Set.of("openid", "read"), T0);
        store.consents().grant("u-1", "web", Set.of("read", "write"), T0);
        assertThat(store.consents().granted("u-1", "web")).containsExactly("openid", "read", "write");
        assertThat(store.consents().granted("u-1", "api")).isEmpty();

        assertThat(store.relyingParties().byClientId("web")).isEmpty();
        store.relyingParties().put(new RelyingParty("web", false, List.of("https://a.example/bye"), "https://a.example/bc"));
        store.relyingParties().put(new RelyingParty("web", true, List.of("https://a.example/bye", "https://a.example/x?y=1"), null));
        assertThat(store.relyingParties().byClientId("web")).contains(
                new RelyingParty("web", true, List.of("https://a.example/bye", "https://a.example/x?y=1"), null));
    }
}
