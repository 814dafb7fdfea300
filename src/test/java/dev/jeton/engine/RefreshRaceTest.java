package dev.jeton.engine;

import dev.jeton.Wiring;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.Issued;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenRequest;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 64 threads redeem one rotating refresh token at the same instant. */
class RefreshRaceTest {
    @TempDir
    Path dir;

    @Test
    void rotationWhen64ThreadsRaceOneTokenThenExactlyOneWinsAndTheFamilyEndsRevoked() throws Exception {
        try (Wiring wiring = new Wiring(Jetons.config(dir, Map.of()), Clock.systemUTC())) {
            var credentials = wiring.admin().firstRun().seedIfEmpty().orElseThrow();
            ClientAuth demo = new ClientAuth("demo", credentials.demoClientSecret(), ClientAuth.Method.BASIC);
            Engine engine = wiring.engine();
            Issued login = engine.issue(new TokenRequest.Password("oauth2", demo, "admin", credentials.adminPassword(), null, null, null));

            int threads = 64;
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Issued>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        return engine.issue(new TokenRequest.Refresh("oauth2", demo, login.refreshToken(), null));
                    }));
                }
                assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
                go.countDown();
                int wins = 0;
                Secret winner = null;
                for (Future<Issued> f : results) {
                    try {
                        winner = f.get(60, TimeUnit.SECONDS).refreshToken();
                        wins++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(Failure.class);
                    }
                }
                assertThat(wins).isEqualTo(1);
                Secret winnersToken = winner;
                // The 63 losers presented a rotated token: reuse, so the winner's new token is revoked too.
                assertThatThrownBy(() -> engine.issue(new TokenRequest.Refresh("oauth2", demo, winnersToken, null)))
                        .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.detail()).isEqualTo("refresh token has been revoked"));
            }
        }
    }
}
