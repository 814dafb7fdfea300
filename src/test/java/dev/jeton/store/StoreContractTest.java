package dev.jeton.store;

import dev.jeton.model.AccessRule.SubjectKindOfRule;
import dev.jeton.model.AccessRule;
import dev.jeton.model.ApiKey;
import dev.jeton.model.AuthContext;
import dev.jeton.model.AuthorizationCode;
import dev.jeton.model.Client;
import dev.jeton.model.DeviceAuthorization;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.KeyState;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.Reason;
import dev.jeton.model.RefreshFamily;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.StoredKey;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.model.User;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.secrets.TokenKey;
import dev.jeton.store.CodeStore.Redemption;
import dev.jeton.store.KeyStore.StateChange;
import dev.jeton.store.RefreshStore.Outcome;
import dev.jeton.store.RefreshStore.Rotation;
import dev.jeton.store.RefreshStore.TokenState;
import dev.jeton.store.jdbc.Database;
import dev.jeton.store.jdbc.JdbcStore;
import dev.jeton.store.jdbc.Migrations;
import dev.jeton.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Every store operation, the same cases on whichever database the suite runs on: SQLite in the
 * default run, a real PostgreSQL in the pom's {@code postgres} run. The atomic decisions (refresh
 * rotation, code redemption, key transitions) are raced by 64 threads at once.
 */
class StoreContractTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final int RACERS = 64;

    @TempDir
    Path dir;
    private Database db;
    private Store store;

    @BeforeEach
    void open() {
        db = TestPostgres.selected() ? Databases.open(TestPostgres.newDatabase(), null, 16, null)
                : Databases.open("sqlite:" + dir.resolve("contract.db"), null, 4, null);
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
        else db.close();
    }

    /** The store on the test's database, migrated on first use (the migration cases start from an empty database). */
    private Store store() {
        if (store == null) store = new JdbcStore(db);
        return store;
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

    /** Runs {@code n} calls released at the same instant; their results in submission order. */
    private static <T> List<T> race(int n, IntFunction<Callable<T>> call) throws Exception {
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                Callable<T> c = call.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return c.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get(60, TimeUnit.SECONDS));
            return results;
        }
    }

    @Nested
    class Refresh {
        private RefreshFamily family(String id, RefreshPolicy policy, String clientId) {
            return new RefreshFamily(id, new Subject(SubjectKind.USER, "u-1", "ada"), clientId, "oauth2", policy,
                    Set.of("openid", "jobs:read"), "https://api.example", T0, T0.plus(Duration.ofDays(30)));
        }

        private RefreshStore refresh() { return store().refresh(); }

        private Rotation rotate(String presented, String next, Instant at) {
            return refresh().rotate(key(presented), "app", key(next), at.plus(Duration.ofDays(1)), at, Duration.ZERO);
        }

        @Test
        void openWhenFamilyOpenedThenFindReturnsItAtGenerationZero() {
            RefreshFamily family = family("f-1", RefreshPolicy.ROTATING, "app");
            refresh().open(family, key("t0"), T0.plus(Duration.ofDays(1)));

            TokenState state = refresh().find(key("t0")).orElseThrow();
            assertThat(state.family()).isEqualTo(family);
            assertThat(state.tokenGeneration()).isZero();
            assertThat(state.familyGeneration()).isZero();
            assertThat(state.tokenExpiresAt()).isEqualTo(T0.plus(Duration.ofDays(1)));
            assertThat(state.revoked()).isFalse();
            assertThat(refresh().find(key("never-issued"))).isEmpty();
        }

        @Test
        void rotateWhenTokensAreTimeOrderedThenEachIsFoundByItsLookupAndOnlyWhole() {
            RandomTokens random = new RandomTokens();
            Secret t0 = random.timeOrderedSecret(T0);
            Secret t1 = random.timeOrderedSecret(T0.plusSeconds(60));
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), TokenKey.of(t0), T0.plus(Duration.ofDays(1)));
            assertThat(refresh().rotate(TokenKey.of(t0), "app", TokenKey.of(t1), T0.plus(Duration.ofDays(1)), T0.plusSeconds(60),
                    Duration.ZERO).outcome()).isEqualTo(Outcome.ROTATED);
            assertThat(TokenKey.of(t1).lookup()).hasSize(32).isGreaterThan(TokenKey.of(t0).lookup());

            // The first 22 characters hold the lookup's 128 bits: a token that shares them but not the rest is not t1.
            Secret sameLookup = new Secret(t1.value().substring(0, 22) + random.secret().value().substring(22));
            assertThat(TokenKey.of(sameLookup).lookup()).isEqualTo(TokenKey.of(t1).lookup());
            assertThat(refresh().find(TokenKey.of(sameLookup))).isEmpty();
            assertThat(refresh().rotate(TokenKey.of(sameLookup), "app", key("t2"), T0.plus(Duration.ofDays(1)), T0.plusSeconds(90),
                    Duration.ZERO).outcome()).isEqualTo(Outcome.UNKNOWN);
            TokenState current = refresh().find(TokenKey.of(t1)).orElseThrow();
            assertThat(current.tokenGeneration()).isEqualTo(1);
            assertThat(current.revoked()).isFalse();
        }

        @Test
        void rotateWhenCurrentTokenThenRotatedAndTheNextTokenIsCurrentUntilTheFamilyExpires() {
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), key("t0"), T0.plus(Duration.ofDays(1)));
            Rotation rotation = refresh().rotate(key("t0"), "app", key("t1"), T0.plus(Duration.ofDays(90)), T0.plusSeconds(60),
                    Duration.ZERO);

            assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED);
            assertThat(rotation.family().id()).isEqualTo("f-1");
            TokenState next = refresh().find(key("t1")).orElseThrow();
            assertThat(next.tokenGeneration()).isEqualTo(1);
            assertThat(next.familyGeneration()).isEqualTo(1);
            // Asked for 90 days, capped at the family's 30.
            assertThat(next.tokenExpiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
            assertThat(refresh().find(key("t0")).orElseThrow().tokenGeneration()).isZero();
        }

        @Test
        void rotateWhenTheStoreReadsTheUserAlongThenItsAnswerIsTheUsersStandingAtThatMoment() {
            store().users().add(new User("u-1", "ada", null, false, List.of(), T0));
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), key("t0"), T0.plus(Duration.ofDays(1)));
            refresh().open(family("f-2", RefreshPolicy.ROTATING, "app"), key("u0"), T0.plus(Duration.ofDays(1)));

            Boolean whileActive = rotate("t0", "t1", T0).userActive();
            store().users().setDisabled("ada", true);
            Boolean onceDisabled = rotate("u0", "u1", T0).userActive();

            // Null means the store did not look and the grant asks the user store; an answer must be right.
            assertThat(whileActive).isNotEqualTo(Boolean.FALSE);
            assertThat(onceDisabled).isNotEqualTo(Boolean.TRUE);
            // PostgreSQL's one-statement rotation reads it, so a refresh costs one round trip.
            if (TestPostgres.selected()) assertThat(List.of(whileActive, onceDisabled)).containsExactly(true, false);
        }

        @Test
        void rotateWhenAnOlderTokenIsReusedThenReusedAndTheWholeFamilyRevoked() {
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), key("t0"), T0.plus(Duration.ofDays(1)));
            assertThat(rotate("t0", "t1", T0).outcome()).isEqualTo(Outcome.ROTATED);

            assertThat(rotate("t0", "t2", T0.plusSeconds(5)).outcome()).isEqualTo(Outcome.REUSED);
            assertThat(refresh().find(key("t1")).orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(rotate("t1", "t3", T0.plusSeconds(6)).outcome()).isEqualTo(Outcome.REVOKED);
            assertThat(refresh().find(key("t2"))).isEmpty();
        }

        @Test
        void rotateWhenALenientFamilysOldTokenIsReusedThenReusedButTheFamilyLivesOn() {
            refresh().open(family("f-1", RefreshPolicy.ROTATING_LENIENT, "app"), key("t0"), T0.plus(Duration.ofDays(1)));
            assertThat(rotate("t0", "t1", T0).outcome()).isEqualTo(Outcome.ROTATED);

            assertThat(rotate("t0", "t2", T0.plusSeconds(5)).outcome()).isEqualTo(Outcome.REUSED);
            assertThat(refresh().find(key("t1")).orElseThrow().revoked()).isFalse();
            assertThat(rotate("t1", "t3", T0.plusSeconds(6)).outcome()).isEqualTo(Outcome.ROTATED);
        }

        @Test
        void rotateWhenThePredecessorComesBackWithinTheGraceThenRetryWithASiblingAndAfterItReuse() {
            Duration grace = Duration.ofSeconds(30);
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), key("t0"), T0.plus(Duration.ofDays(1)));
            assertThat(refresh().rotate(key("t0"), "app", key("t1"), T0.plus(Duration.ofDays(1)), T0, grace).outcome())
                    .isEqualTo(Outcome.ROTATED);

            Rotation retry = refresh().rotate(key("t0"), "app", key("t1b"), T0.plus(Duration.ofDays(1)), T0.plusSeconds(30), grace);
            assertThat(retry.outcome()).isEqualTo(Outcome.RETRY);
            assertThat(refresh().find(key("t1b")).orElseThrow().tokenGeneration()).isEqualTo(1);
            assertThat(refresh().find(key("t1b")).orElseThrow().familyGeneration()).isEqualTo(1);

            Rotation late = refresh().rotate(key("t0"), "app", key("t1c"), T0.plus(Duration.ofDays(1)), T0.plusSeconds(31), grace);
            assertThat(late.outcome()).isEqualTo(Outcome.REUSED);
            assertThat(refresh().find(key("t1")).orElseThrow().revoked()).isTrue();
        }

        @Test
        void rotateWhenReusableFamilyThenValidAndNothingChanges() {
            refresh().open(family("f-1", RefreshPolicy.REUSABLE, "app"), key("t0"), T0.plus(Duration.ofDays(1)));
            assertThat(rotate("t0", "t1", T0).outcome()).isEqualTo(Outcome.VALID);
            assertThat(rotate("t0", "t2", T0.plusSeconds(1)).outcome()).isEqualTo(Outcome.VALID);
            assertThat(refresh().find(key("t0")).orElseThrow().familyGeneration()).isZero();
            assertThat(refresh().find(key("t1"))).isEmpty();
        }

        @Test
        void rotateWhenAnotherClientPresentsTheTokenThenWrongClientAndNothingChanges() {
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), key("t0"), T0.plus(Duration.ofDays(1)));
            Rotation other = refresh().rotate(key("t0"), "other-app", key("t1"), T0.plus(Duration.ofDays(1)), T0, Duration.ZERO);
            assertThat(other.outcome()).isEqualTo(Outcome.WRONG_CLIENT);
            assertThat(refresh().find(key("t1"))).isEmpty();
            // Any client (null) is the engine's way of saying "not bound to one".
            assertThat(refresh().rotate(key("t0"), null, key("t1"), T0.plus(Duration.ofDays(1)), T0, Duration.ZERO).outcome())
                    .isEqualTo(Outcome.ROTATED);
        }

        @Test
        void rotateWhenTheTokenOrItsFamilyHasExpiredThenExpiredEvenIfRevoked() {
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), key("t0"), T0.plus(Duration.ofHours(1)));
            assertThat(rotate("t0", "t1", T0.plus(Duration.ofHours(1))).outcome()).isEqualTo(Outcome.EXPIRED);
            refresh().open(family("f-2", RefreshPolicy.ROTATING, "app"), key("u0"), T0.plus(Duration.ofDays(60)));
            assertThat(rotate("u0", "u1", T0.plus(Duration.ofDays(30))).outcome()).isEqualTo(Outcome.EXPIRED);
            assertThat(refresh().revokeFamily("f-1", T0)).isTrue();
            assertThat(rotate("t0", "t1", T0.plus(Duration.ofHours(2))).outcome()).isEqualTo(Outcome.EXPIRED);
        }

        @Test
        void rotateWhenTheTokenIsUnknownThenUnknownWithoutAFamily() {
            Rotation unknown = rotate("never-issued", "t1", T0);
            assertThat(unknown.outcome()).isEqualTo(Outcome.UNKNOWN);
            assertThat(unknown.family()).isNull();
        }

        @Test
        void revokeByTokenWhenKnownThenTheFamilyIsRevokedOnceAndWhenUnknownThenFalse() {
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), key("t0"), T0.plus(Duration.ofDays(1)));
            assertThat(rotate("t0", "t1", T0).outcome()).isEqualTo(Outcome.ROTATED);

            assertThat(refresh().revokeByToken(key("t0"), T0.plusSeconds(10))).isTrue();
            assertThat(refresh().revokeByToken(key("t1"), T0.plusSeconds(20))).as("idempotent").isTrue();
            assertThat(refresh().find(key("t1")).orElseThrow().revokedAt()).as("the first revocation stands").isEqualTo(T0.plusSeconds(10));
            assertThat(rotate("t1", "t2", T0.plusSeconds(30)).outcome()).isEqualTo(Outcome.REVOKED);
            assertThat(refresh().revokeByToken(key("never-issued"), T0)).isFalse();
        }

        @Test
        void revokeFamilyWhenAliveThenTrueAndWhenAlreadyRevokedOrUnknownThenFalse() {
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), key("t0"), T0.plus(Duration.ofDays(1)));
            assertThat(refresh().revokeFamily("f-1", T0)).isTrue();
            assertThat(refresh().revokeFamily("f-1", T0)).isFalse();
            assertThat(refresh().revokeFamily("no-such-family", T0)).isFalse();
            assertThat(refresh().find(key("t0")).orElseThrow().revoked()).isTrue();
        }

        @Test
        void deleteExpiredWhenTokensAndFamiliesArePastExpiryThenOnlyThoseRowsGo() {
            refresh().open(new RefreshFamily("short", new Subject(SubjectKind.USER, "u-1", "ada"), "app", "oauth2", RefreshPolicy.ROTATING,
                    Set.of(), null, T0, T0.plus(Duration.ofHours(1))), key("s0"), T0.plus(Duration.ofHours(1)));
            refresh().open(family("long", RefreshPolicy.ROTATING, "app"), key("l0"), T0.plus(Duration.ofHours(1)));
            assertThat(rotate("l0", "l1", T0).outcome()).isEqualTo(Outcome.ROTATED);

            // Two hours on: the short family and its token, and the long family's first token, are past expiry.
            assertThat(refresh().deleteExpired(T0.plus(Duration.ofHours(2)))).isEqualTo(3);
            assertThat(refresh().find(key("s0"))).isEmpty();
            assertThat(refresh().find(key("l0"))).isEmpty();
            assertThat(refresh().find(key("l1"))).isPresent();
            assertThat(refresh().deleteExpired(T0.plus(Duration.ofHours(2)))).isZero();
        }

        @Test
        void rotateWhen64ThreadsRaceOneTokenThenExactlyOneRotatesAndTheFamilyEndsRevoked() throws Exception {
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), key("t0"), T0.plus(Duration.ofDays(1)));
            List<Outcome> outcomes = race(RACERS, i -> () -> rotate("t0", "next-" + i, T0).outcome());

            assertThat(outcomes).filteredOn(o -> o == Outcome.ROTATED).hasSize(1);
            // The losers presented a token that is no longer current: reuse, which revokes the family (later ones find it revoked).
            assertThat(outcomes).filteredOn(o -> o != Outcome.ROTATED).isNotEmpty().allMatch(o -> o == Outcome.REUSED || o == Outcome.REVOKED);
            assertThat(outcomes).contains(Outcome.REUSED);
            String winner = "next-" + outcomes.indexOf(Outcome.ROTATED);
            assertThat(refresh().find(key(winner)).orElseThrow().revoked()).isTrue();
            assertThat(rotate(winner, "after", T0.plusSeconds(1)).outcome()).isEqualTo(Outcome.REVOKED);
        }

        @Test
        void rotateWhenCurrentThenTheFamilyComesBackWithEveryFieldForAnyClientOrItsOwn() {
            RefreshFamily opened = family("f-1", RefreshPolicy.ROTATING, "app");
            refresh().open(opened, key("t0"), T0.plus(Duration.ofDays(1)));

            assertThat(rotate("t0", "t1", T0).family()).isEqualTo(opened);
            Rotation anyClient = refresh().rotate(key("t1"), null, key("t2"), T0.plus(Duration.ofDays(1)), T0.plusSeconds(1), Duration.ZERO);
            assertThat(anyClient.outcome()).isEqualTo(Outcome.ROTATED);
            assertThat(anyClient.family()).isEqualTo(opened);
            assertThat(refresh().find(key("t2")).orElseThrow().tokenGeneration()).isEqualTo(2);
        }

        @Test
        void rotateWhenAChainRotates20TimesThenEachStepWinsAndAnyEarlierTokenRevokesTheFamily() {
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), key("c0"), T0.plus(Duration.ofDays(1)));
            for (int i = 0; i < 20; i++) {
                assertThat(rotate("c" + i, "c" + (i + 1), T0.plusSeconds(i)).outcome()).as("step %d", i).isEqualTo(Outcome.ROTATED);
            }
            TokenState last = refresh().find(key("c20")).orElseThrow();
            assertThat(last.tokenGeneration()).isEqualTo(20);
            assertThat(last.familyGeneration()).isEqualTo(20);

            assertThat(rotate("c5", "stolen", T0.plusSeconds(30)).outcome()).isEqualTo(Outcome.REUSED);
            assertThat(rotate("c20", "c21", T0.plusSeconds(31)).outcome()).isEqualTo(Outcome.REVOKED);
        }

        @Test
        void rotateWhen64FamiliesRotateAtOnceThenEveryOneRotatesExactlyOnce() throws Exception {
            for (int i = 0; i < RACERS; i++) {
                refresh().open(family("f-" + i, RefreshPolicy.ROTATING, "app"), key("t0-" + i), T0.plus(Duration.ofDays(1)));
            }
            List<Outcome> outcomes = race(RACERS, i -> () -> rotate("t0-" + i, "t1-" + i, T0).outcome());

            assertThat(outcomes).containsOnly(Outcome.ROTATED);
            for (int i = 0; i < RACERS; i++) {
                TokenState state = refresh().find(key("t1-" + i)).orElseThrow();
                assertThat(state.family().id()).isEqualTo("f-" + i);
                assertThat(state.familyGeneration()).isEqualTo(1);
                assertThat(state.revoked()).isFalse();
            }
        }

        @Test
        void rotateWhenRotationsAndRevocationsOfOneTokenRaceThenAtMostOneRotatesAndTheFamilyEndsRevoked() throws Exception {
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), key("t0"), T0.plus(Duration.ofDays(1)));
            List<Object> results = race(RACERS, i -> i % 2 == 0
                    ? () -> rotate("t0", "next-" + i, T0).outcome()
                    : () -> refresh().revokeByToken(key("t0"), T0));

            assertThat(results).filteredOn(r -> r == Outcome.ROTATED).hasSizeLessThanOrEqualTo(1);
            assertThat(results).filteredOn(r -> r instanceof Outcome).allMatch(r -> r == Outcome.ROTATED || r == Outcome.REUSED
                    || r == Outcome.REVOKED);
            assertThat(refresh().find(key("t0")).orElseThrow().revoked()).isTrue();
            int winner = results.indexOf(Outcome.ROTATED);
            if (winner >= 0) assertThat(rotate("next-" + winner, "after", T0.plusSeconds(1)).outcome()).isEqualTo(Outcome.REVOKED);
        }

        @Test
        void rotateWhen64ThreadsRaceOneTokenWithinTheGraceThenOneRotatesAndTheOthersGetSiblings() throws Exception {
            refresh().open(family("f-1", RefreshPolicy.ROTATING, "app"), key("t0"), T0.plus(Duration.ofDays(1)));
            List<Outcome> outcomes = race(RACERS, i -> () ->
                    refresh().rotate(key("t0"), "app", key("next-" + i), T0.plus(Duration.ofDays(1)), T0, Duration.ofSeconds(30)).outcome());

            assertThat(outcomes).filteredOn(o -> o == Outcome.ROTATED).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o == Outcome.RETRY).hasSize(RACERS - 1);
            for (int i = 0; i < RACERS; i++) {
                TokenState state = refresh().find(key("next-" + i)).orElseThrow();
                assertThat(state.tokenGeneration()).isEqualTo(1);
                assertThat(state.revoked()).isFalse();
            }
        }
    }

    @Nested
    class Revocations {
        @Test
        void revokeWhenJtiRevokedTwiceThenRevokedOnceAndOthersNot() {
            RevocationStore revocations = store().revocations();
            revocations.revoke("jti-1", T0.plus(Duration.ofMinutes(15)));
            revocations.revoke("jti-1", T0.plus(Duration.ofMinutes(15)));
            assertThat(revocations.isRevoked("jti-1")).isTrue();
            assertThat(revocations.isRevoked("jti-2")).isFalse();
        }

        @Test
        void deleteExpiredWhenTheTokenWouldHaveExpiredThenItsRowGoes() {
            RevocationStore revocations = store().revocations();
            revocations.revoke("short", T0.plus(Duration.ofMinutes(5)));
            revocations.revoke("long", T0.plus(Duration.ofMinutes(15)));
            assertThat(revocations.deleteExpired(T0.plus(Duration.ofMinutes(10)))).isEqualTo(1);
            assertThat(revocations.isRevoked("short")).isFalse();
            assertThat(revocations.isRevoked("long")).isTrue();
        }

        @Test
        void useOnceWhen64InstancesPresentOneClientAssertionJtiThenExactlyOneAcceptsItUntilItExpires() throws Exception {
            RevocationStore revocations = store().revocations();
            List<Boolean> won = race(RACERS, i -> () -> revocations.useOnce("app", "assertion-1", T0.plus(Duration.ofMinutes(5))));
            assertThat(won).filteredOn(w -> w).hasSize(1);
            assertThat(revocations.useOnce("other-app", "assertion-1", T0.plus(Duration.ofMinutes(5)))).as("per client").isTrue();
            assertThat(revocations.deleteExpired(T0.plus(Duration.ofMinutes(6)))).isEqualTo(2);
            assertThat(revocations.useOnce("app", "assertion-1", T0.plus(Duration.ofMinutes(10)))).as("swept once expired").isTrue();
        }
    }

    @Nested
    class Upstreams {
        private final dev.jeton.model.Upstream corp = new dev.jeton.model.Upstream("up-1", "corp", "https://login.corp.example", "jeton",
                "c2VhbGVk", null, "groups", List.of("corp.example", "corp.org"), "openid profile email", T0);
        private final UpstreamStore.Pending pending = new UpstreamStore.Pending(hash("state-1"), hash("browser-1"), "corp", "nonce-1",
                "/oidc/authorize?client_id=web", T0.plusSeconds(600));

        @Test
        void addWhenNewThenFoundAndListedAndNameTakenIsConflict() {
            store().upstreams().add(corp);
            assertThat(store().upstreams().byName("corp")).contains(corp);
            assertThat(store().upstreams().list()).containsExactly(corp);
            assertThatThrownBy(() -> store().upstreams().add(new dev.jeton.model.Upstream("up-2", "corp", "https://x.example", "j", "eA",
                    null, null, List.of(), "openid", T0))).isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.CONFLICT));
            assertThat(store().upstreams().delete("corp")).isTrue();
            assertThat(store().upstreams().delete("corp")).isFalse();
        }

        @Test
        void answerWhen64ThreadsRaceOneStateThenExactlyOneGetsTheSignIn() throws Exception {
            store().upstreams().begin(pending);
            List<Boolean> won = race(RACERS, i -> () -> store().upstreams().answer(hash("state-1"), T0.plusSeconds(5)).isPresent());
            assertThat(won).filteredOn(w -> w).hasSize(1);
            assertThat(store().upstreams().answer(hash("state-2"), T0)).isEmpty();
        }

        @Test
        void answerWhenExpiredThenEmptyAndDeletedBySweep() {
            store().upstreams().begin(pending);
            assertThat(store().upstreams().answer(hash("state-1"), T0.plusSeconds(600))).isEmpty();
            assertThat(store().upstreams().deleteExpired(T0.plusSeconds(601))).isEqualTo(1);
        }

        @Test
        void takeWhenSignedInThenOnceForThatBrowserAndReturnOnly() throws Exception {
            store().users().add(new User("u-1", "dana", null, false, List.of(), T0));
            store().upstreams().begin(pending);
            UpstreamStore.Pending answered = store().upstreams().answer(hash("state-1"), T0.plusSeconds(5)).orElseThrow();
            assertThat(answered.nonce()).isEqualTo("nonce-1");
            assertThat(answered.returnTo()).isEqualTo(pending.returnTo());
            assertThat(answered.browserHash()).isEqualTo(hash("browser-1"));
            assertThat(store().upstreams().take(hash("browser-1"), pending.returnTo(), T0.plusSeconds(6))).as("not signed in yet").isEmpty();
            store().upstreams().signedIn(hash("state-1"), "u-1");
            assertThat(store().upstreams().take(hash("browser-2"), pending.returnTo(), T0.plusSeconds(6))).isEmpty();
            assertThat(store().upstreams().take(hash("browser-1"), "/oidc/authorize?client_id=other", T0.plusSeconds(6))).isEmpty();
            List<Boolean> taken = race(RACERS, i -> () -> store().upstreams().take(hash("browser-1"), pending.returnTo(), T0.plusSeconds(6))
                    .isPresent());
            assertThat(taken).filteredOn(t -> t).hasSize(1);
        }

        @Test
        void replaceGroupsWhenCalledAgainThenUpstreamGroupsReplacedAndOperatorGroupsKept() {
            store().users().add(new User("u-1", "dana", null, false, List.of("admins"), T0));
            store().upstreams().link("https://login.corp.example", "sub-1", "u-1", "corp", T0);
            assertThat(store().upstreams().linkedUser("https://login.corp.example", "sub-1")).contains("u-1");
            assertThat(store().upstreams().linkedUser("https://other.example", "sub-1")).isEmpty();
            store().upstreams().replaceGroups("u-1", "corp", List.of("devs", "admins", "ops"));
            assertThat(store().users().byId("u-1").orElseThrow().groups()).containsExactly("admins", "devs", "ops");
            store().upstreams().replaceGroups("u-1", "corp", List.of("auditors"));
            assertThat(store().users().byId("u-1").orElseThrow().groups()).containsExactly("admins", "auditors");
        }
    }

    @Nested
    class Nodes {
        private final dev.jeton.model.Node waiting = new dev.jeton.model.Node("node-a", false, null, hash("enrol-1"), T0.plusSeconds(3600),
                false, T0, null, null);

        @Test
        void enrolWhenOneTokenIsRacedThenOneEnrolmentAndTheTokenIsUsed() throws Exception {
            store().nodes().add(waiting);
            List<Boolean> outcomes = race(RACERS, i -> () -> store().nodes().enrol("node-a", hash("enrol-1"), "{\"key\":" + i + "}", T0.plusSeconds(5)));
            assertThat(outcomes).containsOnlyOnce(true);
            dev.jeton.model.Node enrolled = store().nodes().byName("node-a").orElseThrow();
            assertThat(enrolled.enrolUsed()).isTrue();
            assertThat(enrolled.enrolled()).isTrue();
            assertThat(store().nodes().enrol("node-a", hash("enrol-1"), "{}", T0.plusSeconds(6))).isFalse();
        }

        @Test
        void enrolWhenExpiredWrongOrDisabledThenRefused() {
            store().nodes().add(waiting);
            assertThat(store().nodes().enrol("node-a", hash("other"), "{}", T0)).isFalse();
            assertThat(store().nodes().enrol("node-a", hash("enrol-1"), "{}", T0.plusSeconds(3600))).isFalse();
            assertThat(store().nodes().setDisabled("node-a", true)).isTrue();
            assertThat(store().nodes().enrol("node-a", hash("enrol-1"), "{}", T0)).isFalse();
            assertThat(store().nodes().byName("node-a").orElseThrow().disabled()).isTrue();
            assertThatThrownBy(() -> store().nodes().add(waiting)).hasMessageContaining("already exists");
        }

        @Test
        void useAssertionWhenTheSameJtiComesTwiceThenOnceAndTheJanitorSweepsItAfterExpiry() throws Exception {
            List<Boolean> outcomes = race(RACERS, i -> () -> store().nodes().useAssertion("node-a", "jti-1", T0.plusSeconds(90)));
            assertThat(outcomes).containsOnlyOnce(true);
            assertThat(store().nodes().useAssertion("node-b", "jti-1", T0.plusSeconds(90))).isTrue();
            assertThat(store().nodes().deleteExpired(T0.plusSeconds(60))).isZero();
            assertThat(store().deleteExpired(T0.plusSeconds(91))).isGreaterThanOrEqualTo(2);
            assertThat(store().nodes().useAssertion("node-a", "jti-1", T0.plusSeconds(200))).isTrue();
        }
    }

    @Nested
    class Codes {
        private final AuthorizationCode code = new AuthorizationCode("app", "u-1", "https://app.example/cb", true, Set.of("openid", "profile"),
                "n-0S6", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", new AuthContext(T0, "1", List.of("pwd"), "sid-1"),
                T0.plusSeconds(60), null, null, null);

        @Test
        void redeemWhenFreshThenRedeemedWithEverythingSavedAndAgainThenReplayedWithWhatItIssued() {
            store().codes().save(hash("code-1"), code);
            Redemption first = store().codes().redeem(hash("code-1"), T0.plusSeconds(5));
            assertThat(first.outcome()).isEqualTo(CodeStore.Outcome.REDEEMED);
            assertThat(first.code()).isEqualTo(code);

            store().codes().attachIssued(hash("code-1"), "f-9", "jti-9", T0.plus(Duration.ofMinutes(15)));
            Redemption replay = store().codes().redeem(hash("code-1"), T0.plusSeconds(6));
            assertThat(replay.outcome()).isEqualTo(CodeStore.Outcome.REPLAYED);
            assertThat(replay.code().familyId()).isEqualTo("f-9");
            assertThat(replay.code().accessJti()).isEqualTo("jti-9");
            assertThat(replay.code().accessExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        }

        @Test
        void redeemWhenExpiredOrUnknownThenExpiredOrUnknown() {
            store().codes().save(hash("code-1"), code);
            assertThat(store().codes().redeem(hash("code-1"), T0.plusSeconds(60)).outcome()).isEqualTo(CodeStore.Outcome.EXPIRED);
            Redemption unknown = store().codes().redeem(hash("never-issued"), T0);
            assertThat(unknown.outcome()).isEqualTo(CodeStore.Outcome.UNKNOWN);
            assertThat(unknown.code()).isNull();
        }

        @Test
        void redeemWhen64ThreadsRaceOneCodeThenExactlyOneRedeems() throws Exception {
            store().codes().save(hash("code-1"), code);
            List<CodeStore.Outcome> outcomes = race(RACERS, i -> () -> store().codes().redeem(hash("code-1"), T0.plusSeconds(1)).outcome());
            assertThat(outcomes).filteredOn(o -> o == CodeStore.Outcome.REDEEMED).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o == CodeStore.Outcome.REPLAYED).hasSize(RACERS - 1);
        }

        @Test
        void deleteExpiredWhenCodesExpiredBeforeTheInstantThenOnlyThoseGo() {
            store().codes().save(hash("code-1"), code);
            assertThat(store().codes().deleteExpired(T0.plusSeconds(60))).isZero();
            assertThat(store().codes().deleteExpired(T0.plusSeconds(61))).isEqualTo(1);
            assertThat(store().codes().redeem(hash("code-1"), T0).outcome()).isEqualTo(CodeStore.Outcome.UNKNOWN);
        }
    }

    @Nested
    class Keys {
        private StoredKey key(String kid, KeyState state, Instant created) {
            return new StoredKey(kid, "ES256", state, "{\"kty\":\"EC\",\"kid\":\"" + kid + "\"}", new byte[]{1, 2, 3, (byte) 0xff},
                    state == KeyState.ACTIVE ? "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" : null, created, created);
        }

        @Test
        void insertWhenKeysAddedThenListedOldestFirstWithEveryField() {
            StoredKey older = key("k-1", KeyState.ACTIVE, T0);
            StoredKey newer = key("k-2", KeyState.NEXT, T0.plusSeconds(1));
            store().keys().insert(newer);
            store().keys().insert(older);
            assertThat(store().keys().keys()).usingRecursiveFieldByFieldElementComparator().containsExactly(older, newer);
        }

        @Test
        void transitionWhenEveryKeyIsInItsFromStateThenAllMoveAndTheNewKeyIsAdded() {
            store().keys().insert(key("k-1", KeyState.ACTIVE, T0));
            store().keys().insert(key("k-2", KeyState.NEXT, T0.plusSeconds(1)));
            Instant at = T0.plus(Duration.ofDays(1));
            boolean moved = store().keys().transition(List.of(new StateChange("k-1", KeyState.ACTIVE, KeyState.RETIRING),
                    new StateChange("k-2", KeyState.NEXT, KeyState.ACTIVE)), List.of(key("k-3", KeyState.NEXT, at)), at);

            assertThat(moved).isTrue();
            assertThat(store().keys().keys()).extracting(StoredKey::kid, StoredKey::state, StoredKey::stateChangedAt).containsExactly(
                    tuple("k-1", KeyState.RETIRING, at), tuple("k-2", KeyState.ACTIVE, at),
                    tuple("k-3", KeyState.NEXT, at));
        }

        @Test
        void transitionWhenOneKeyWasMovedFirstThenFalseAndNothingChanges() {
            store().keys().insert(key("k-1", KeyState.ACTIVE, T0));
            store().keys().insert(key("k-2", KeyState.ACTIVE, T0.plusSeconds(1))); // another instance already promoted it
            List<StoredKey> before = store().keys().keys();
            boolean moved = store().keys().transition(List.of(new StateChange("k-1", KeyState.ACTIVE, KeyState.RETIRING),
                    new StateChange("k-2", KeyState.NEXT, KeyState.ACTIVE)), List.of(key("k-3", KeyState.NEXT, T0)), T0.plusSeconds(5));

            assertThat(moved).isFalse();
            assertThat(store().keys().keys()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(before);
        }

        @Test
        void transitionWhen64InstancesRotateAtOnceThenExactlyOneRotationWins() throws Exception {
            store().keys().insert(key("k-1", KeyState.ACTIVE, T0));
            store().keys().insert(key("k-2", KeyState.NEXT, T0.plusSeconds(1)));
            List<Boolean> won = race(RACERS, i -> () -> store().keys().transition(List.of(new StateChange("k-1", KeyState.ACTIVE,
                    KeyState.RETIRING), new StateChange("k-2", KeyState.NEXT, KeyState.ACTIVE)), List.of(key("new-" + i, KeyState.NEXT, T0)), T0));
            assertThat(won).filteredOn(w -> w).hasSize(1);
            assertThat(store().keys().keys()).extracting(StoredKey::kid).containsExactly("k-1", "new-" + won.indexOf(true), "k-2");
        }
    }

    @Nested
    class Transactions {
        private final User ada = new User("u-1", "ada", null, false, List.of(), T0);
        private final User bob = new User("u-2", "bob", null, false, List.of(), T0);

        @Test
        void inTransactionWhenTheWorkSucceedsThenItsReadsSeeItsWritesAndAllCommit() {
            int seen = store().inTransaction(() -> {
                store().users().add(ada);
                store().users().add(bob);
                store().users().setDisabled("bob", true);
                return store().users().list().size();
            });
            assertThat(seen).isEqualTo(2);
            assertThat(store().users().list()).extracting(User::name).containsExactly("ada", "bob");
            assertThat(store().users().byName("bob")).hasValueSatisfying(u -> assertThat(u.disabled()).isTrue());
        }

        @Test
        void inTransactionWhenTheWorkThrowsThenNoneOfItsWritesStay() {
            assertThatThrownBy(() -> store().inTransaction(() -> {
                store().users().add(ada);
                store().users().add(new User("u-3", "ada", null, false, List.of(), T0)); // name taken: refused
                return null;
            })).isInstanceOf(Failure.class);
            assertThat(store().users().list()).isEmpty();
            store().users().add(bob); // the store still takes writes after the rollback
            assertThat(store().users().list()).extracting(User::name).containsExactly("bob");
        }
    }

    @Nested
    class Users {
        private final User ada = new User("u-1", "ada@example.com", "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA", false,
                List.of("dev", "admins"), T0);

        @Test
        void addWhenNewThenFoundByNameAndIdWithGroupsSorted() {
            store().users().add(ada);
            User expected = new User("u-1", "ada@example.com", ada.passwordHash(), false, List.of("admins", "dev"), T0);
            assertThat(store().users().byName("ada@example.com")).contains(expected);
            assertThat(store().users().byId("u-1")).contains(expected);
            assertThat(store().users().byName("nobody")).isEmpty();
            assertThat(store().users().byId("u-404")).isEmpty();
        }

        @Test
        void addWhenTheNameIsTakenThenConflictAndNothingOfTheSecondIsStored() {
            store().users().add(ada);
            User twin = new User("u-2", "ada@example.com", null, false, List.of("ops"), T0);
            assertThatThrownBy(() -> store().users().add(twin)).isInstanceOfSatisfying(Failure.class, f -> {
                assertThat(f.reason()).isEqualTo(Reason.CONFLICT);
                assertThat(f.getMessage()).isEqualTo("user 'ada@example.com' already exists");
            });
            assertThat(store().users().byId("u-2")).isEmpty();
            assertThat(store().users().list()).extracting(User::id).containsExactly("u-1");
        }

        @Test
        void listWhenSeveralUsersThenOrderedByName() {
            store().users().add(new User("u-2", "zoe", null, false, List.of(), T0));
            store().users().add(ada);
            store().users().add(new User("u-3", "bob", null, true, List.of(), T0));
            assertThat(store().users().list()).extracting(User::name).containsExactly("ada@example.com", "bob", "zoe");
        }

        @Test
        void setDisabledAndPasswordWhenUserExistsThenChangedAndWhenUnknownThenFalse() {
            store().users().add(ada);
            assertThat(store().users().isActive("u-1")).isTrue();
            assertThat(store().users().setDisabled("ada@example.com", true)).isTrue();
            assertThat(store().users().isActive("u-1")).isFalse();
            assertThat(store().users().byId("u-1").orElseThrow().disabled()).isTrue();
            assertThat(store().users().setDisabled("ada@example.com", false)).isTrue();
            assertThat(store().users().isActive("u-1")).isTrue();

            assertThat(store().users().setPasswordHash("ada@example.com", "$argon2id$new")).isTrue();
            assertThat(store().users().byId("u-1").orElseThrow().passwordHash()).isEqualTo("$argon2id$new");

            assertThat(store().users().setDisabled("nobody", true)).isFalse();
            assertThat(store().users().setPasswordHash("nobody", "x")).isFalse();
            assertThat(store().users().isActive("u-404")).isFalse();
        }
    }

    @Nested
    class Clients {
        private final Client app = new Client("c-1", "app", hash("secret"), Set.of(GrantType.CLIENT_CREDENTIALS, GrantType.REFRESH_TOKEN),
                Set.of("write", "read"), List.of("https://b.example", "https://a.example"), List.of("https://app.example/cb"),
                Duration.ofMinutes(5), null, RefreshPolicy.ROTATING, false, T0);

        @Test
        void addWhenNewThenFoundWithEveryFieldAndTheVersionMoves() {
            long before = store().clients().version();
            store().clients().add(app);
            assertThat(store().clients().version()).isGreaterThan(before);
            assertThat(store().clients().byClientId("app").orElseThrow()).usingRecursiveComparison().isEqualTo(app);
            Client publicClient = new Client("c-2", "spa", null, Set.of(GrantType.AUTHORIZATION_CODE), Set.of(), List.of(), List.of(),
                    null, Duration.ofDays(1), RefreshPolicy.REUSABLE, true, T0);
            store().clients().add(publicClient);
            assertThat(store().clients().byClientId("spa").orElseThrow()).usingRecursiveComparison().isEqualTo(publicClient);
            assertThat(store().clients().byClientId("nope")).isEmpty();
            assertThat(store().clients().list()).extracting(Client::clientId).containsExactly("app", "spa");
        }

        @Test
        void addWhenTheClientIdIsTakenThenConflict() {
            store().clients().add(app);
            long version = store().clients().version();
            Client twin = new Client("c-2", "app", null, Set.of(), Set.of(), List.of(), List.of(), null, null, RefreshPolicy.ROTATING, false, T0);
            assertThatThrownBy(() -> store().clients().add(twin)).isInstanceOfSatisfying(Failure.class,
                    f -> assertThat(f.reason()).isEqualTo(Reason.CONFLICT));
            assertThat(store().clients().version()).isEqualTo(version);
        }

        @Test
        void replaceSecretWhenAnOverlapIsKeptThenThePreviousHashLastsUntilTheNextRotationOrDeletion() {
            store().clients().add(app);
            Instant until = T0.plus(Duration.ofHours(1));
            assertThat(store().clients().replaceSecret("app", hash("second"), until)).isTrue();
            assertThat(store().clients().previousSecret("app")).hasValueSatisfying(p -> {
                assertThat(p.secretHash()).isEqualTo(hash("secret"));
                assertThat(p.expiresAt()).isEqualTo(until);
            });
            assertThat(store().clients().replaceSecret("app", hash("third"), until.plusSeconds(60))).isTrue();
            assertThat(store().clients().previousSecret("app").orElseThrow().secretHash()).isEqualTo(hash("second"));
            assertThat(store().clients().replaceSecret("app", hash("fourth"), null)).isTrue();
            assertThat(store().clients().previousSecret("app")).isEmpty();
            assertThat(store().clients().replaceSecret("app", hash("fifth"), until)).isTrue();
            assertThat(store().clients().delete("app", T0)).isTrue();
            assertThat(store().clients().previousSecret("app")).isEmpty();
            assertThat(store().clients().replaceSecret("nobody", hash("x"), until)).isFalse();
            assertThat(store().clients().previousSecret("nobody")).isEmpty();
        }

        @Test
        void replaceSecretAndPolicyWhenClientExistsThenChangedAndVersionMovesAndWhenUnknownThenFalse() {
            store().clients().add(app);
            long v1 = store().clients().version();
            assertThat(store().clients().replaceSecret("app", hash("new-secret"))).isTrue();
            assertThat(store().clients().byClientId("app").orElseThrow().secretHash()).isEqualTo(hash("new-secret"));
            long v2 = store().clients().version();
            assertThat(v2).isGreaterThan(v1);
            assertThat(store().clients().setRefreshPolicy("app", RefreshPolicy.ROTATING_LENIENT)).isTrue();
            assertThat(store().clients().byClientId("app").orElseThrow().refreshPolicy()).isEqualTo(RefreshPolicy.ROTATING_LENIENT);
            long v3 = store().clients().version();
            assertThat(v3).isGreaterThan(v2);

            assertThat(store().clients().replaceSecret("nope", hash("x"))).isFalse();
            assertThat(store().clients().setRefreshPolicy("nope", RefreshPolicy.REUSABLE)).isFalse();
            assertThat(store().clients().version()).isEqualTo(v3);
        }

        @Test
        void deleteWhenClientHasRefreshFamiliesThenTheyAreRevokedAndTheClientGone() {
            store().clients().add(app);
            store().refresh().open(new RefreshFamily("f-app", new Subject(SubjectKind.CLIENT, "app", "app"), "app", "oauth2",
                    RefreshPolicy.ROTATING, Set.of(), null, T0, T0.plus(Duration.ofDays(1))), key("t-app"), T0.plus(Duration.ofDays(1)));
            store().refresh().open(new RefreshFamily("f-other", new Subject(SubjectKind.CLIENT, "other", "other"), "other", "oauth2",
                    RefreshPolicy.ROTATING, Set.of(), null, T0, T0.plus(Duration.ofDays(1))), key("t-other"), T0.plus(Duration.ofDays(1)));
            long version = store().clients().version();

            assertThat(store().clients().delete("app", T0.plusSeconds(9))).isTrue();
            assertThat(store().clients().byClientId("app")).isEmpty();
            assertThat(store().clients().version()).isGreaterThan(version);
            assertThat(store().refresh().find(key("t-app")).orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(9));
            assertThat(store().refresh().find(key("t-other")).orElseThrow().revoked()).isFalse();
            assertThat(store().clients().delete("app", T0)).isFalse();
        }
    }

    @Nested
    class ApiKeys {
        @BeforeEach
        void owners() {
            store().users().add(new User("u-1", "ada", null, false, List.of(), T0));
            store().users().add(new User("u-2", "bob", null, false, List.of(), T0));
        }

        @Test
        void addWhenKeysOfTwoUsersThenFoundByHashAndListedPerUserOldestFirst() {
            ApiKey ci = new ApiKey("k-1", "u-1", "ci", Set.of("jobs:write", "jobs:read"), T0, T0.plus(Duration.ofDays(30)), null);
            ApiKey laptop = new ApiKey("k-2", "u-1", null, Set.of(), T0.plusSeconds(1), null, null);
            ApiKey bobs = new ApiKey("k-3", "u-2", "bob", Set.of(), T0.plusSeconds(2), null, null);
            store().apiKeys().add(laptop, hash("sk-2"));
            store().apiKeys().add(ci, hash("sk-1"));
            store().apiKeys().add(bobs, hash("sk-3"));

            assertThat(store().apiKeys().byHash(hash("sk-1"))).contains(ci);
            assertThat(store().apiKeys().byHash(hash("sk-404"))).isEmpty();
            assertThat(store().apiKeys().list("u-1")).containsExactly(ci, laptop);
            assertThat(store().apiKeys().list(null)).containsExactly(ci, laptop, bobs);
            assertThat(store().apiKeys().list("u-404")).isEmpty();
        }

        @Test
        void revokeWhenKeyLiveThenRevokedAtThatInstantOnceAndWhenUnknownThenFalse() {
            store().apiKeys().add(new ApiKey("k-1", "u-1", "ci", Set.of(), T0, null, null), hash("sk-1"));
            assertThat(store().apiKeys().revoke("k-1", T0.plusSeconds(3))).isTrue();
            assertThat(store().apiKeys().revoke("k-1", T0.plusSeconds(4))).isFalse();
            assertThat(store().apiKeys().byHash(hash("sk-1")).orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(3));
            assertThat(store().apiKeys().revoke("k-404", T0)).isFalse();
        }

        @Test
        void updateAndSetHashWhenKeyActiveThenChangedInPlaceAndWhenRevokedOrUnknownThenFalse() {
            store().apiKeys().add(new ApiKey("k-1", "u-1", "ci", Set.of("jobs:read"), T0, null, null), hash("sk-1"));
            Instant expiry = T0.plus(Duration.ofDays(7));
            assertThat(store().apiKeys().update("k-1", Set.of("jobs:read", "jobs:write"), expiry)).isTrue();
            assertThat(store().apiKeys().setHash("k-1", hash("sk-2"))).isTrue();
            assertThat(store().apiKeys().byHash(hash("sk-1"))).isEmpty();
            assertThat(store().apiKeys().byHash(hash("sk-2"))).contains(new ApiKey("k-1", "u-1", "ci", Set.of("jobs:read", "jobs:write"), T0,
                    expiry, null));
            assertThat(store().apiKeys().update("k-1", Set.of(), null)).isTrue();
            assertThat(store().apiKeys().byHash(hash("sk-2")).orElseThrow().expiresAt()).as("null: never expires").isNull();

            store().apiKeys().revoke("k-1", T0.plusSeconds(1));
            assertThat(store().apiKeys().update("k-1", Set.of("x"), null)).isFalse();
            assertThat(store().apiKeys().setHash("k-1", hash("sk-3"))).isFalse();
            assertThat(store().apiKeys().update("k-404", Set.of(), null)).isFalse();
            assertThat(store().apiKeys().setHash("k-404", hash("sk-4"))).isFalse();
        }
    }

    @Nested
    class Identities {
        private ManagedIdentity identity(String id, String name, String systemNode, List<String> nodes) {
            return new ManagedIdentity(id, name, "client-" + id, "object-" + id, "/subscriptions/s/resourceGroups/g/providers/"
                    + "Microsoft.ManagedIdentity/userAssignedIdentities/" + name, "tenant-1", systemNode, nodes, T0);
        }

        @Test
        void addWhenUserAndSystemAssignedThenFoundByNameListedAndServedToTheirNodes() {
            long before = store().identities().version();
            ManagedIdentity worker = identity("i-1", "worker", null, List.of("node-b", "node-a"));
            ManagedIdentity vm = identity("i-2", "vm", "node-a", List.of());
            store().identities().add(worker);
            store().identities().add(vm);

            assertThat(store().identities().version()).isGreaterThan(before);
            assertThat(store().identities().byName("worker")).contains(identity("i-1", "worker", null, List.of("node-a", "node-b")));
            assertThat(store().identities().byName("nobody")).isEmpty();
            assertThat(store().identities().list()).extracting(ManagedIdentity::name).containsExactly("vm", "worker");
            assertThat(store().identities().forNode("node-a")).extracting(ManagedIdentity::name).containsExactly("vm", "worker");
            assertThat(store().identities().forNode("node-b")).extracting(ManagedIdentity::name).containsExactly("worker");
            assertThat(store().identities().forNode("node-c")).isEmpty();
        }

        @Test
        void addWhenNameOrTheNodesSystemSlotIsTakenThenConflict() {
            store().identities().add(identity("i-1", "vm", "node-a", List.of()));
            assertThatThrownBy(() -> store().identities().add(identity("i-2", "vm", null, List.of())))
                    .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.CONFLICT));
            assertThatThrownBy(() -> store().identities().add(identity("i-3", "vm2", "node-a", List.of())))
                    .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.CONFLICT));
            assertThat(store().identities().list()).extracting(ManagedIdentity::id).containsExactly("i-1");
        }

        @Test
        void assignUnassignDeleteWhenAppliedThenNodesFollowAndEachChangeMovesTheVersion() {
            store().identities().add(identity("i-1", "worker", null, List.of()));
            long v0 = store().identities().version();
            assertThat(store().identities().assign("i-1", "node-a")).isTrue();
            assertThat(store().identities().assign("i-1", "node-a")).as("already assigned").isFalse();
            long v1 = store().identities().version();
            assertThat(v1).isGreaterThan(v0);
            assertThat(store().identities().forNode("node-a")).extracting(ManagedIdentity::id).containsExactly("i-1");

            assertThat(store().identities().unassign("i-1", "node-a")).isTrue();
            assertThat(store().identities().unassign("i-1", "node-a")).isFalse();
            long v2 = store().identities().version();
            assertThat(v2).isGreaterThan(v1);
            assertThat(store().identities().forNode("node-a")).isEmpty();

            assertThat(store().identities().assign("i-1", "node-b")).isTrue();
            assertThat(store().identities().delete("i-1")).isTrue();
            assertThat(store().identities().delete("i-1")).isFalse();
            assertThat(store().identities().version()).isGreaterThan(v2);
            assertThat(store().identities().forNode("node-b")).isEmpty();
            assertThat(store().identities().list()).isEmpty();
        }
    }

    @Nested
    class Rules {
        @Test
        void addAndDeleteWhenAppliedThenListedOldestFirstAndEachChangeMovesTheVersion() {
            RuleStore rules = store().rules();
            long v0 = rules.version();
            AccessRule dev = new AccessRule("r-1", SubjectKindOfRule.GROUP, "dev", "dev/*", Set.of("push", "pull"), T0);
            AccessRule anyone = new AccessRule("r-2", SubjectKindOfRule.ANONYMOUS, null, "public/*", Set.of("pull"), T0.plusSeconds(1));
            rules.add(anyone);
            rules.add(dev);
            long v1 = rules.version();
            assertThat(v1).isGreaterThan(v0);
            assertThat(rules.list()).containsExactly(dev, anyone);

            assertThat(rules.delete("r-1")).isTrue();
            long v2 = rules.version();
            assertThat(v2).isGreaterThan(v1);
            assertThat(rules.delete("r-1")).isFalse();
            assertThat(rules.version()).isEqualTo(v2);
            assertThat(rules.list()).containsExactly(anyone);
        }
    }

    @Nested
    class Migration {
        private final int latest = Migrations.BUNDLED.latest();

        private static String bundled(int version) {
            try (InputStream in = StoreContractTest.class.getResourceAsStream("/db/migration/V" + version + ".sql")) {
                return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** What {@code sha256sum} prints for the file, computed here without Jeton's code. */
        private static String sha256OfFile(int version) throws Exception {
            try (InputStream in = StoreContractTest.class.getResourceAsStream("/db/migration/V" + version + ".sql")) {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
            }
        }

        private Map<Integer, String> recorded() {
            return db.read(c -> {
                Map<Integer, String> rows = new LinkedHashMap<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version, checksum FROM schema_version ORDER BY version")) {
                    while (rs.next()) rows.put(rs.getInt(1), rs.getString(2));
                }
                return rows;
            });
        }

        private boolean tableExists(String table) {
            return db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet ignored = s.executeQuery("SELECT 1 FROM " + table)) {
                    return true;
                } catch (SQLException e) {
                    return false;
                }
            });
        }

        @Test
        void applyWhenTheDatabaseIsEmptyThenEveryMigrationIsRecordedWithTheSha256OfItsFile() throws Exception {
            assertThat(Migrations.BUNDLED.apply(db)).isEqualTo(latest);
            Map<Integer, String> expected = new LinkedHashMap<>();
            for (int v = 1; v <= latest; v++) expected.put(v, sha256OfFile(v));
            assertThat(recorded()).isEqualTo(expected);
            assertThat(Migrations.BUNDLED.apply(db)).as("nothing new the second time").isZero();
        }

        @Test
        void applyWhenAnAppliedMigrationWasEditedThenRefusesNamingItAndAppliesNothing() {
            Migrations.BUNDLED.apply(db);
            Migrations edited = new Migrations(v -> v == 2 ? bundled(2).replace("api_keys_user", "api_keys_by_user")
                    : v == latest + 1 ? "CREATE TABLE never_applied (id TEXT);" : bundled(v));

            assertThatThrownBy(() -> edited.apply(db)).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("migration V2.sql was edited after it was applied to this database (SHA-256 ")
                    .hasMessageContaining(", applied " + Migrations.checksum(bundled(2)) + ")")
                    .hasMessageEndingWith("restore the file as it was applied and put the change in a new migration");
            assertThat(tableExists("never_applied")).isFalse();
            assertThat(recorded()).hasSize(latest);
        }

        @Test
        void startWhenTheRecordedChecksumDiffersFromTheFileThenTheStoreDoesNotOpen() {
            Migrations.BUNDLED.apply(db);
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE schema_version SET checksum = ? WHERE version = 1")) {
                    ps.setString(1, Migrations.checksum("-- V1 as another build had it\n"));
                    return ps.executeUpdate();
                }
            });
            assertThatThrownBy(() -> new JdbcStore(db)).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("migration V1.sql was edited after it was applied");
        }

        @Test
        void applyWhenRefreshTokensPredateLookupsThenTheyAreStillFoundAndRotate() {
            int lookups = 17;
            new Migrations(v -> v < lookups ? bundled(v) : null).apply(db);
            Secret legacy = new RandomTokens().secret();
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO refresh_families (id, subject_kind, subject_id, subject_name, client_id, dialect, policy, "
                            + "scope, audience, generation, current_hash, created_at, expires_at) VALUES ('f-old', 'USER', 'u-1', 'ada', "
                            + "'app', 'oauth2', 'ROTATING', 'openid', NULL, 0, '" + key(legacy.value()).hash() + "', "
                            + T0.toEpochMilli() + ", " + T0.plus(Duration.ofDays(30)).toEpochMilli() + ")");
                    s.executeUpdate("INSERT INTO refresh_tokens (hash, family_id, generation, expires_at) VALUES ('"
                            + key(legacy.value()).hash() + "', 'f-old', 0, " + T0.plus(Duration.ofDays(1)).toEpochMilli() + ")");
                }
                return null;
            });

            RefreshStore refresh = store().refresh();   // migrates the rest
            assertThat(recorded()).hasSize(latest);
            assertThat(refresh.find(key(legacy.value())).orElseThrow().family().id()).isEqualTo("f-old");
            Secret next = new RandomTokens().timeOrderedSecret(T0.plusSeconds(60));
            assertThat(refresh.rotate(key(legacy.value()), "app", TokenKey.of(next), T0.plus(Duration.ofDays(1)), T0.plusSeconds(60),
                    Duration.ZERO).outcome()).isEqualTo(Outcome.ROTATED);
            assertThat(refresh.find(TokenKey.of(next)).orElseThrow().tokenGeneration()).isEqualTo(1);
            assertThat(refresh.rotate(key(legacy.value()), "app", key("again"), T0.plus(Duration.ofDays(1)), T0.plusSeconds(90),
                    Duration.ZERO).outcome()).as("the legacy token is still known, as a reused one").isEqualTo(Outcome.REUSED);
        }

        @Test
        void applyWhenAnAppliedMigrationIsMissingThenRefusesNamingIt() {
            Migrations.BUNDLED.apply(db);
            Migrations withoutTheNewest = new Migrations(v -> v == latest ? null : bundled(v));
            assertThatThrownBy(() -> withoutTheNewest.apply(db)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the database has migration V" + latest + " applied, but this build has no db/migration/V" + latest
                            + ".sql: the database was migrated by a newer Jeton, or the file was removed; run the Jeton that migrated it");
            Migrations withAGap = new Migrations(v -> v == 1 ? null : bundled(v));
            assertThatThrownBy(() -> withAGap.apply(db)).hasMessageStartingWith("the database has migration V1 applied, but");
        }

        @Test
        void applyWhenANewMigrationHasSemicolonsInQuotesAndCommentsThenItRunsWholeOnceAndIsRecorded() {
            Migrations.BUNDLED.apply(db);
            String script = """
                    -- a comment; with a semicolon
                    CREATE TABLE contract_extra (id TEXT PRIMARY KEY, note TEXT NOT NULL);
                    /* a block comment;
                       over two lines; */
                    INSERT INTO contract_extra (id, note) VALUES ('a', 'one; two;
                    three');
                    INSERT INTO contract_extra (id, note) VALUES ('b', 'it''s;');
                    """;
            Migrations next = new Migrations(v -> v == latest + 1 ? script : bundled(v));

            assertThat(next.apply(db)).isEqualTo(1);
            assertThat(next.apply(db)).isZero();
            Map<String, String> rows = db.read(c -> {
                Map<String, String> out = new LinkedHashMap<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, note FROM contract_extra ORDER BY id")) {
                    while (rs.next()) out.put(rs.getString(1), rs.getString(2));
                }
                return out;
            });
            assertThat(rows).containsExactly(Map.entry("a", "one; two;\nthree"), Map.entry("b", "it's;"));
            assertThat(recorded()).containsEntry(latest + 1, Migrations.checksum(script)).hasSize(latest + 1);
        }

        @Test
        void applyWhenANewMigrationFailsHalfwayThenNothingOfItRemains() {
            Migrations.BUNDLED.apply(db);
            Migrations broken = new Migrations(v -> v == latest + 1
                    ? "CREATE TABLE half_done (id TEXT);\nINSERT INTO no_such_table (id) VALUES ('x');\n" : bundled(v));

            assertThatThrownBy(() -> broken.apply(db)).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("migration V" + (latest + 1) + ".sql failed: ");
            assertThat(tableExists("half_done")).isFalse();
            assertThat(recorded()).hasSize(latest);
        }

        @Test
        void applyWhenTheDatabaseWasMigratedBeforeChecksumsThenRecordsThemAndAppliesWhatIsNew() throws Exception {
            // As the earlier Migrations left a database: a table without the checksum column, all but the newest applied.
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
                    for (int v = 1; v < latest; v++) {
                        s.executeUpdate(bundled(v));
                        s.executeUpdate("INSERT INTO schema_version (version, applied_at) VALUES (" + v + ", 1700000000000)");
                    }
                }
                return null;
            });

            assertThat(Migrations.BUNDLED.apply(db)).isEqualTo(1);
            Map<Integer, String> expected = new LinkedHashMap<>();
            for (int v = 1; v <= latest; v++) expected.put(v, sha256OfFile(v));
            assertThat(recorded()).isEqualTo(expected);
            // From now on an edit is caught.
            Migrations edited = new Migrations(v -> v == 1 ? bundled(1) + "\n-- edited\n" : bundled(v));
            assertThatThrownBy(() -> edited.apply(db)).hasMessageStartingWith("migration V1.sql was edited");
            assertThat(store().users().list()).isEmpty();
        }
    }

    @Test
    void healthyWhenTheDatabaseAnswersThenTrue() {
        assertThat(store().healthy()).isTrue();
    }

    @Test
    void deleteExpiredWhenTheJanitorSweepsThenRefreshRevocationsAndCodesPastExpiryGo() {
        store().refresh().open(new RefreshFamily("f-1", new Subject(SubjectKind.USER, "u-1", "ada"), "app", "oauth2", RefreshPolicy.ROTATING,
                Set.of(), null, T0, T0.plusSeconds(60)), key("t0"), T0.plusSeconds(60));
        store().revocations().revoke("jti-1", T0.plusSeconds(60));
        store().codes().save(hash("code-1"), new AuthorizationCode("app", "u-1", "https://app.example/cb", false, Set.of(), null, null,
                new AuthContext(T0, "1", List.of("pwd"), null), T0.plusSeconds(60), null, null, null));
        // Codes stay ten minutes past expiry, so that a late replay is still recognised.
        assertThat(store().deleteExpired(T0.plusSeconds(61))).isEqualTo(3);
        assertThat(store().deleteExpired(T0.plusSeconds(661))).isEqualTo(1);
        assertThat(store().revocations().isRevoked("jti-1")).isFalse();
    }

    @Nested
    class Devices {
        private DeviceAuthorization pending(Instant at) {
            return new DeviceAuthorization("tv", Set.of("read"), DeviceAuthorization.Status.PENDING, null, Duration.ofSeconds(5), null, at,
                    at.plusSeconds(600));
        }

        @Test
        void pollWhenApprovedThen64RacersRedeemItExactlyOnce() throws Exception {
            store().devices().save(hash("device-1"), hash("BCDFGHJK"), pending(T0));
            assertThat(store().devices().decide(hash("BCDFGHJK"), true, "user-1", T0)).isTrue();
            assertThat(store().devices().decide(hash("BCDFGHJK"), false, null, T0)).as("decided once").isFalse();
            List<DeviceStore.Outcome> outcomes = race(RACERS, i -> () -> store().devices().poll(hash("device-1"), T0.plusSeconds(1)).outcome());
            assertThat(outcomes).filteredOn(o -> o == DeviceStore.Outcome.REDEEMED).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o != DeviceStore.Outcome.REDEEMED).containsOnly(DeviceStore.Outcome.ALREADY_REDEEMED);
            assertThat(store().devices().byUserCode(hash("BCDFGHJK")).orElseThrow().userId()).isEqualTo("user-1");
        }

        @Test
        void pollWhenEarlyThenSlowDownRaisesTheIntervalWithoutMovingTheLastAcceptedPoll() {
            store().devices().save(hash("device-2"), hash("CDFGHJKL"), pending(T0));
            assertThat(store().devices().poll(hash("device-2"), T0).outcome()).isEqualTo(DeviceStore.Outcome.PENDING);
            DeviceStore.Poll early = store().devices().poll(hash("device-2"), T0.plusSeconds(4));
            assertThat(early.outcome()).isEqualTo(DeviceStore.Outcome.SLOW_DOWN);
            assertThat(early.authorization().interval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(early.authorization().lastPollAt()).isEqualTo(T0);
            assertThat(store().devices().poll(hash("device-2"), T0.plusSeconds(10)).outcome()).isEqualTo(DeviceStore.Outcome.PENDING);
            assertThat(store().devices().decide(hash("CDFGHJKL"), false, null, T0.plusSeconds(11))).isTrue();
            assertThat(store().devices().poll(hash("device-2"), T0.plusSeconds(20)).outcome()).isEqualTo(DeviceStore.Outcome.DENIED);
        }

        @Test
        void pollWhenExpiredOrUnknownThenSoAndDecideRefusesAnExpiredCode() {
            store().devices().save(hash("device-3"), hash("DFGHJKLM"), pending(T0));
            assertThat(store().devices().decide(hash("DFGHJKLM"), true, "user-1", T0.plusSeconds(600))).isFalse();
            assertThat(store().devices().poll(hash("device-3"), T0.plusSeconds(600)).outcome()).isEqualTo(DeviceStore.Outcome.EXPIRED);
            assertThat(store().devices().poll(hash("nothing"), T0).outcome()).isEqualTo(DeviceStore.Outcome.UNKNOWN);
            assertThat(store().devices().deleteExpired(T0.plusSeconds(601))).isEqualTo(1);
            assertThat(store().devices().byDeviceCode(hash("device-3"))).isEmpty();
        }
    }
}
