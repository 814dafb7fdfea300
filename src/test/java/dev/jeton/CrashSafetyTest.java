package dev.jeton;

import dev.jeton.support.JetonProcess;
import dev.jeton.support.ResourceServer;
import dev.jeton.support.RotationLoad;
import dev.jeton.support.RotationLoad.Outstanding;
import dev.jeton.support.StoreCheck;
import dev.jeton.support.TestPostgres;
import dev.jeton.support.TokenApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jeton as a real OS process, killed with SIGKILL in the middle of concurrent refresh
 * rotation and password login load, then restarted on the same data: three times at random
 * moments. What a client was handed before the crash must still mean what it meant. On
 * SQLite (the default) and, in the {@code postgres} execution, on a PostgreSQL that stays up
 * while Jeton dies.
 */
class CrashSafetyTest {
    private static final String ISSUER = "https://jeton.example";
    private static final int CYCLES = 3;
    private static final int CHAINS = 16;

    @TempDir
    Path dir;

    @Test
    void killWhenUnderRotationAndLoginLoadThenEveryTokenHandedOutStillMeansWhatItMeant() throws Exception {
        String store = TestPostgres.selected() ? TestPostgres.newDatabase() : "";
        // The port changes with every start; the issuer, which tokens carry, does not.
        Files.writeString(dir.resolve("jeton.conf"), """
                port = 0
                issuer = %s
                imds-port = -1
                access-log = false
                argon2-memory-kib = 1024
                argon2-iterations = 1
                """.formatted(ISSUER) + (store.isEmpty() ? "" : "store = " + store + "\n"));
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<String> accessTokens = new ArrayList<>();
        JetonProcess server = JetonProcess.serve(dir);
        try {
            TokenApi api = new TokenApi("admin", server.adminPassword(), server.demoSecret());
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                String at = "cycle " + cycle + " (seed " + seed + ")";
                RotationLoad load = RotationLoad.start(api, server.baseUrl(), CHAINS, random.nextLong());
                load.await(50 + random.nextInt(400), 4);
                Thread.sleep(random.nextInt(200));
                int exit = server.kill();
                assertThat(exit).as("%s: exit value of a process ended by signal 9 (SIGKILL)", at).isEqualTo(128 + 9);
                load.stop();
                assertThat(load.unexpected()).as(at).isEmpty();
                assertThat(load.cutOff()).as("%s: requests cut off by the kill", at).isPositive();
                assertThat(StoreCheck.problems(dir, store)).as("%s: database after the kill", at).isEmpty();

                server = JetonProcess.serve(dir);
                assertHeldTokensWorkExactlyOnce(api, server.baseUrl(), load.held(), at);
                String inFlight = assertInFlightTokensNeverWorkTwice(api, server.baseUrl(), load.inFlight(), at);
                System.out.printf("CrashSafetyTest %s: %d logins, %d rotations; after the restart %d held tokens worked once, %s%n",
                        at, load.logins(), load.rotations(), load.held().size(), inFlight);
                accessTokens.addAll(load.accessTokens());
                assertVerify(accessTokens, server.baseUrl(), at);
            }
        } finally {
            server.close();
        }
        assertThat(StoreCheck.problems(dir, store)).as("database after the last stop").isEmpty();
    }

    /** Received in a 200 and never sent: the first use after the restart works, the second is refused as reuse. */
    private static void assertHeldTokensWorkExactlyOnce(TokenApi api, String baseUrl, List<Outstanding> held, String at) {
        assertThat(held).as("%s: tokens held at the kill", at).isNotEmpty();
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        inParallel(held, token -> {
            HttpResponse<String> first = api.refresh(token.dialect(), baseUrl, token.refreshToken());
            HttpResponse<String> second = api.refresh(token.dialect(), baseUrl, token.refreshToken());
            if (first.statusCode() != 200) wrong.add(token.dialect() + " first use: " + first.statusCode() + " " + first.body());
            if (second.statusCode() != 400 || !second.body().equals(token.dialect().reusedBody)) {
                wrong.add(token.dialect() + " second use: " + second.statusCode() + " " + second.body());
            }
        });
        assertThat(wrong).as("%s: held tokens", at).isEmpty();
    }

    /**
     * Sent, answer lost: the rotation either committed before the kill (then the token counts
     * as used, and its first use now is refused as reuse) or it did not (then it works once).
     * Never unknown (it was handed out in a 200, so it was stored), never accepted twice.
     */
    private static String assertInFlightTokensNeverWorkTwice(TokenApi api, String baseUrl, List<Outstanding> inFlight, String at) {
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger notCommitted = new AtomicInteger();
        inParallel(inFlight, token -> {
            HttpResponse<String> first = api.refresh(token.dialect(), baseUrl, token.refreshToken());
            HttpResponse<String> second = api.refresh(token.dialect(), baseUrl, token.refreshToken());
            if (first.statusCode() == 200) {
                notCommitted.incrementAndGet();
                if (!second.body().equals(token.dialect().reusedBody)) wrong.add("second use after a first that worked: " + second.body());
            } else if (first.body().equals(token.dialect().reusedBody)) {
                committed.incrementAndGet();
                if (second.statusCode() != 400) wrong.add("second use after reuse: " + second.statusCode() + " " + second.body());
            } else {
                wrong.add(token.dialect() + " first use: " + first.statusCode() + " " + first.body());
            }
        });
        assertThat(wrong).as("%s: tokens in flight at the kill", at).isEmpty();
        return inFlight.size() + " in flight (" + committed + " had rotated before the kill, " + notCommitted + " had not)";
    }

    /** Access tokens of every cycle so far still verify against the restarted server's JWKS: its keys survived. */
    private static void assertVerify(List<String> accessTokens, String baseUrl, String at) throws Exception {
        assertThat(accessTokens).as(at).isNotEmpty();
        ResourceServer resourceServer = new ResourceServer(baseUrl + "/oidc/jwks", ISSUER, null);
        for (String token : accessTokens) {
            assertThat(resourceServer.verify(token).getStringClaim("preferred_username")).as(at).isEqualTo("admin");
        }
    }

    private interface Check {
        void run(Outstanding token) throws IOException, InterruptedException;
    }

    /** Eight at a time: the checks are independent (one outstanding token per family). */
    private static void inParallel(List<Outstanding> tokens, Check check) {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (Outstanding token : tokens) {
                done.add(pool.submit(() -> {
                    check.run(token);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("a check failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
