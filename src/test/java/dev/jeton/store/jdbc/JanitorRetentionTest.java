package dev.jeton.store.jdbc;

import dev.jeton.engine.Janitor;
import dev.jeton.model.LoginSession;
import dev.jeton.model.RefreshFamily;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.secrets.TokenKey;
import dev.jeton.store.Databases;
import dev.jeton.store.RefreshStore;
import dev.jeton.store.Store;
import dev.jeton.support.MutableClock;
import dev.jeton.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the janitor keeps and what it deletes, and that it deletes in bounded batches (each its
 * own write) so a sweep of a large backlog never holds the writer for long. Runs on SQLite and,
 * in the pom's postgres run, on a real PostgreSQL.
 */
class JanitorRetentionTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;
    private WriteCounting db;
    private Store store;

    @BeforeEach
    void open() {
        Database real = TestPostgres.selected() ? Databases.open(TestPostgres.newDatabase(), null, 8, null)
                : Databases.open("sqlite:" + dir.resolve("janitor.db"), null, 4, null);
        db = new WriteCounting(real);
        store = new JdbcStore(db);
    }

    @AfterEach
    void close() { store.close(); }

    @Test
    void sweepWhenTheBacklogIsLargerThanABatchThenEachBatchIsItsOwnWriteAndOnlyExpiredRowsGo() {
        int expired = 2 * ExpiredRows.BATCH + 500;
        store.inTransaction(() -> {
            for (int i = 0; i < expired; i++) store.revocations().revoke("old-" + i, T0.plusSeconds(i % 60));
            for (int i = 0; i < 10; i++) store.revocations().revoke("live-" + i, T0.plus(Duration.ofHours(1)));
            return null;
        });
        MutableClock clock = new MutableClock(T0.plus(Duration.ofMinutes(5)));
        int before = db.writes.get();

        assertThat(new Janitor(store, clock).sweep()).isEqualTo(expired);

        assertThat(count("revoked_access_tokens")).isEqualTo(10);
        assertThat(store.revocations().isRevoked("live-3")).isTrue();
        // Three batches of revoked access tokens (1000, 1000, 500), then one empty look at every other table.
        assertThat(db.writes.get() - before).isGreaterThanOrEqualTo(3);
        assertThat(db.largestDelete.get()).isLessThanOrEqualTo(ExpiredRows.BATCH);
        assertThat(new Janitor(store, clock).sweep()).isZero();
    }

    @Test
    void sweepWhenAChainRotatedPastItsTokensLifetimeThenOnlyItsLiveTokensAndFamilyStay() {
        RefreshStore refresh = store.refresh();
        refresh.open(family("chain", T0.plus(Duration.ofDays(1))), key("t0"), T0.plus(Duration.ofMinutes(1)));
        for (int g = 0; g < 5; g++) {
            Instant at = T0.plusSeconds(30L * g);
            assertThat(refresh.rotate(key("t" + g), "app", key("t" + (g + 1)), at.plus(Duration.ofMinutes(1)), at, Duration.ZERO).outcome())
                    .isEqualTo(RefreshStore.Outcome.ROTATED);
        }
        assertThat(count("refresh_tokens")).isEqualTo(6);

        // t(g+1) was issued at T0+30g for one minute (t0 and t1 expire at T0+60s, t2 at +90s, t3 at +120s, t4 at +150s,
        // t5 at +180s): at T0+121s the first four are past expiry, t4 and t5 are not.
        int removed = new Janitor(store, new MutableClock(T0.plusSeconds(121))).sweep();

        assertThat(removed).isEqualTo(4);
        assertThat(count("refresh_tokens")).isEqualTo(2);
        assertThat(count("refresh_families")).isEqualTo(1);
        assertThat(refresh.find(key("t5"))).isPresent();
    }

    @Test
    void sweepWhenAFamilyWentIdleThenItAndItsUnexpiredTokensGoWhileAnActiveOneStays() {
        RefreshStore refresh = store.refresh();
        refresh.open(family("idle", T0.plus(Duration.ofDays(90))), key("i0"), T0.plus(Duration.ofDays(30)),
                new RefreshStore.Binding("cred", T0.plus(Duration.ofHours(1))));
        refresh.open(family("active", T0.plus(Duration.ofDays(90))), key("a0"), T0.plus(Duration.ofDays(30)),
                new RefreshStore.Binding("cred", T0.plus(Duration.ofDays(30))));

        int removed = new Janitor(store, new MutableClock(T0.plus(Duration.ofHours(2)))).sweep();

        // The idle family can never be used again: its family row and its token row go, although the token's own expiry is 30 days off.
        assertThat(removed).isEqualTo(2);
        assertThat(refresh.find(key("i0"))).isEmpty();
        assertThat(refresh.find(key("a0"))).isPresent();
    }

    @Test
    void sweepWhenMoreSessionsExpiredThanABatchThenAllGoWithTheirClientsAndLiveOnesKeepTheirs() {
        int expired = ExpiredRows.BATCH + 7;
        store.inTransaction(() -> {
            for (int i = 0; i < expired; i++) {
                store.sessions().create(hash("s" + i), session("s-" + i, T0, T0.plus(Duration.ofHours(1))));
                store.sessions().addClient("s-" + i, "web");
            }
            store.sessions().create(hash("live"), session("live", T0, T0.plus(Duration.ofDays(1))));
            store.sessions().addClient("live", "web");
            return null;
        });

        int removed = store.sessions().deleteExpired(T0.plus(Duration.ofHours(2)));

        assertThat(removed).isEqualTo(expired);
        assertThat(count("login_sessions")).isEqualTo(1);
        assertThat(count("login_session_clients")).isEqualTo(1);
        assertThat(store.sessions().clients("live")).containsExactly("web");
    }

    private static LoginSession session(String id, Instant at, Instant idleExpiresAt) {
        return new LoginSession(id, "u-1", at, "1", List.of("pwd"), "cred", at, idleExpiresAt, at.plus(Duration.ofDays(2)), null);
    }

    private static RefreshFamily family(String id, Instant expiresAt) {
        return new RefreshFamily(id, new Subject(SubjectKind.USER, "u-1", "ada"), "app", "oauth2", RefreshPolicy.ROTATING,
                Set.of("openid"), null, T0, expiresAt);
    }

    private long count(String table) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TokenKey key(String token) {
        return TokenKey.of(new Secret(token));
    }

    /** The real database, counting its writes and the largest number of rows one write deleted. */
    private static final class WriteCounting implements Database {
        private final Database real;
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger largestDelete = new AtomicInteger();

        WriteCounting(Database real) { this.real = real; }

        @Override
        public <T> T read(SqlWork<T> work) { return real.read(work); }

        @Override
        public <T> T write(SqlWork<T> work) {
            writes.incrementAndGet();
            T result = real.write(work);
            if (result instanceof Integer n) largestDelete.accumulateAndGet(n, Math::max);
            return result;
        }

        @Override
        public <T> T transaction(java.util.function.Supplier<T> work) { return real.transaction(work); }

        @Override
        public void lockForMigration(java.sql.Connection c) throws java.sql.SQLException { real.lockForMigration(c); }

        @Override
        public void close() { real.close(); }
    }
}
