package dev.jeton.store.jdbc;

import dev.jeton.model.RefreshFamily;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.model.User;
import dev.jeton.secrets.TokenKey;
import dev.jeton.store.Databases;
import dev.jeton.store.RefreshStore.Outcome;
import dev.jeton.store.RefreshStore.Rotation;
import dev.jeton.store.jdbc.OneStatementRotation.Request;
import dev.jeton.store.postgres.StoreUrl;
import dev.jeton.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit of refresh rotations on a real PostgreSQL: rotations that arrive while the
 * statements in flight wait go together in one statement, each still exactly once, and a group
 * whose answer was lost with its connection finds out which of its rotations committed.
 */
class GroupedRotationTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private String url;
    private Database db;
    private JdbcStore store;

    @BeforeEach
    void open() {
        url = TestPostgres.newDatabase();
        db = Databases.open(url, null, 16, null);
        store = new JdbcStore(db);
        store.users().add(new User("u-1", "ada", null, false, List.of(), T0));
    }

    @AfterEach
    void close() { store.close(); }

    @Test
    void rotationsWhenTheyArriveWhileBothSlotsWaitThenTheyGoInOneStatementAndEachFamilyMovesOnce() throws Exception {
        for (int f = 0; f < 22; f++) openFamily("f-" + f);
        GroupedRotation grouped = new GroupedRotation(db);
        try (Connection blocker = connect(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // Two statements take both slots and wait on row locks held by another transaction.
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.executeQuery("SELECT id FROM refresh_families WHERE id IN ('f-0', 'f-1') FOR UPDATE").close();
            }
            List<Future<Optional<Rotation>>> answers = new ArrayList<>();
            for (int f = 0; f < 2; f++) answers.add(pool.submit(rotation(grouped, "f-" + f)));
            awaitTrue(() -> backendsWaitingForLocks() == 2);
            // Twenty more arrive meanwhile and wait for a slot.
            for (int f = 2; f < 22; f++) answers.add(pool.submit(rotation(grouped, "f-" + f)));
            awaitTrue(() -> grouped.queued() == 20);

            blocker.commit();
            for (Future<Optional<Rotation>> answer : answers) {
                Optional<Rotation> rotated = answer.get(30, TimeUnit.SECONDS);
                assertThat(rotated).hasValueSatisfying(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.ROTATED);
                    assertThat(r.userActive()).isTrue();
                });
            }
        }
        assertThat(grouped.statements()).as("two alone, then the twenty together").isEqualTo(3);
        for (int f = 0; f < 22; f++) {
            assertThat(store.refresh().find(key("f-" + f + "/t1")).orElseThrow().familyGeneration()).isEqualTo(1);
        }
    }

    @Test
    void rotationWhenInsideATransactionThenItGoesAloneAndCommitsOrRollsBackWithIt() {
        openFamily("f-0");
        GroupedRotation grouped = new GroupedRotation(db);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.transaction(() -> {
            assertThat(grouped.rotate(request("f-0", "t0", "t1"))).isPresent();
            throw new IllegalStateException("the transaction fails after the rotation");
        })).hasMessage("the transaction fails after the rotation");

        assertThat(grouped.statements()).as("not sent as a group of its own").isZero();
        assertThat(store.refresh().find(key("f-0/t1"))).as("rolled back with the transaction").isEmpty();
        assertThat(store.refresh().find(key("f-0/t0")).orElseThrow().familyGeneration()).isZero();
    }

    @Test
    void groupWhenTheSameTokenIsPresentedTwiceInItThenOneRotatesAndTheOtherIsLeftToTheGeneralPath() throws Exception {
        openFamily("f-0");
        List<Optional<Rotation>> results = db.writeStatement(c -> OneStatementRotation.tryRotate(c, List.of(
                request("f-0", "t0", "t1"), request("f-0", "t0", "t1-twin"))), c -> List.of());

        assertThat(results.stream().filter(Optional::isPresent).count()).isEqualTo(1);
        assertThat(store.refresh().find(key("f-0/t0")).orElseThrow().familyGeneration()).isEqualTo(1);
        String winner = results.get(0).isPresent() ? "f-0/t1" : "f-0/t1-twin";
        String loser = results.get(0).isPresent() ? "f-0/t1-twin" : "f-0/t1";
        assertThat(store.refresh().find(key(winner))).isPresent();
        assertThat(store.refresh().find(key(loser))).as("nothing of the other was written").isEmpty();
    }

    @Test
    void afterLossWhenSomeOfTheGroupCommittedThenThoseAreFoundAndOnlyTheRestRotate() throws Exception {
        openFamily("f-0");
        openFamily("f-1");
        Request committed = request("f-0", "t0", "t1");
        Request notYet = request("f-1", "t0", "t1");
        db.writeStatement(c -> OneStatementRotation.tryRotate(c, List.of(committed)), c -> List.of());

        // As if the answer to a group holding both had been lost: the first is in the database, the second not.
        List<Optional<Rotation>> results = db.writeStatement(c -> OneStatementRotation.afterLoss(c, List.of(committed, notYet)),
                c -> List.of());

        assertThat(results).allSatisfy(r -> assertThat(r).hasValueSatisfying(
                rotation -> assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED)));
        for (String family : List.of("f-0", "f-1")) {
            var state = store.refresh().find(key(family + "/t1")).orElseThrow();
            assertThat(state.familyGeneration()).as("rotated once, not again").isEqualTo(1);
            assertThat(state.revoked()).as("not taken for a reuse").isFalse();
        }
    }

    private void openFamily(String id) {
        RefreshFamily family = new RefreshFamily(id, new Subject(SubjectKind.USER, "u-1", "ada"), "app", "oauth2",
                RefreshPolicy.ROTATING, java.util.Set.of("openid"), "https://api.example", T0, T0.plus(Duration.ofDays(30)));
        store.refresh().open(family, key(id + "/t0"), T0.plus(Duration.ofDays(1)));
    }

    private static java.util.concurrent.Callable<Optional<Rotation>> rotation(GroupedRotation grouped, String family) {
        return () -> grouped.rotate(request(family, "t0", "t1"));
    }

    private static Request request(String family, String presented, String next) {
        return new Request(key(family + "/" + presented), "app", key(family + "/" + next), T0.plus(Duration.ofDays(1)),
                T0.plusSeconds(60));
    }

    private Connection connect() throws Exception {
        StoreUrl admin = StoreUrl.parse(url, null);
        return DriverManager.getConnection(admin.jdbcUrl(), admin.user(), null);
    }

    private int backendsWaitingForLocks() {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                     + "AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static TokenKey key(String token) {
        return TokenKey.of(new Secret(token));
    }
}
