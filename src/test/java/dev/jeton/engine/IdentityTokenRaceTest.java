package dev.jeton.engine;

import dev.jeton.Wiring;
import dev.jeton.engine.registry.RegistryPrincipals;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.Issued;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenRequest;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A registry login's identity token used by 64 threads at once, on the store under test: each
 * use that moves its idle expiry is one conditional update, so uses never lose to each other
 * and never outlive a revocation that committed before they started.
 */
class IdentityTokenRaceTest {
    private static final String SERVICE = "registry.test";
    private static final int THREADS = 64;

    @TempDir
    Path dir;

    private static TokenRequest use(Secret identityToken) {
        return new TokenRequest.RegistryAccess("registry", ClientAuth.none("registry"), RegistryPrincipals.REFRESH_TOKEN_USER, identityToken,
                SERVICE, List.of(), false, null);
    }

    private static Secret login(Engine engine) {
        Issued login = engine.issue(new TokenRequest.RegistryAccess("registry", ClientAuth.none("registry"), "alice",
                new Secret("alice-password"), SERVICE, List.of(), true, null));
        return login.refreshToken();
    }

    @Test
    void usesWhen64ThreadsRaceWhileTheClockMovesThenAllSucceedAndTheIdleExpiryEndsAtTheLatestUse() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        try (Wiring wiring = new Wiring(Jetons.config(dir, Map.of()), clock)) {
            wiring.admin().accounts().addUser("alice", new Secret("alice-password"), List.of());
            Engine engine = wiring.engine();
            Secret token = login(engine);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1)) {
                for (int i = 0; i < THREADS; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        for (int n = 0; n < 20; n++) engine.issue(use(token));
                        return 20;
                    }));
                }
                // The clock moves by more than the store's write resolution between uses, so many of them write.
                Future<?> mover = pool.submit(() -> {
                    go.await();
                    for (int n = 0; n < 200; n++) clock.advance(Duration.ofMinutes(2));
                    return null;
                });
                go.countDown();
                int uses = 0;
                for (Future<Integer> f : results) uses += f.get(120, TimeUnit.SECONDS);
                mover.get(120, TimeUnit.SECONDS);
                assertThat(uses).isEqualTo(THREADS * 20);
            }
            // The last use marked at most now: 30 days from around then it is still alive, a little later it is not.
            engine.issue(use(token));
            clock.advance(Duration.ofDays(30).minusMinutes(2));
            engine.issue(use(token));
            clock.advance(Duration.ofDays(30).plusMinutes(1));
            assertThatThrownBy(() -> engine.issue(use(token))).isInstanceOfSatisfying(Failure.class,
                    f -> assertThat(f.check()).isEqualTo("refresh.idle"));
        }
    }

    @Test
    void usesWhenARevocationCommitsMidwayThenNoUseStartedAfterItSucceeds() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        try (Wiring wiring = new Wiring(Jetons.config(dir, Map.of()), clock)) {
            wiring.admin().accounts().addUser("alice", new Secret("alice-password"), List.of());
            Engine engine = wiring.engine();
            Secret token = login(engine);
            AtomicBoolean revoked = new AtomicBoolean();
            AtomicInteger before = new AtomicInteger();
            AtomicInteger lateSuccesses = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> users = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
                for (int i = 0; i < THREADS; i++) {
                    users.add(pool.submit(() -> {
                        go.await();
                        for (int n = 0; n < 200; n++) {
                            boolean startedAfter = revoked.get();
                            clock.advance(Duration.ofMinutes(2));
                            try {
                                engine.issue(use(token));
                                if (startedAfter) lateSuccesses.incrementAndGet();
                                else before.incrementAndGet();
                            } catch (Failure refused) {
                                if (startedAfter) return null;
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (before.get() < THREADS && System.nanoTime() < deadline) Thread.onSpinWait();
                assertThat(wiring.admin().revocation().revokeAsAdmin(token.value())).isPresent();
                revoked.set(true);
                for (Future<?> f : users) f.get(120, TimeUnit.SECONDS);
            }
            assertThat(before.get()).as("uses before the revocation").isGreaterThanOrEqualTo(THREADS);
            assertThat(lateSuccesses.get()).as("uses that started after the revocation committed and still succeeded").isZero();
        }
    }
}
