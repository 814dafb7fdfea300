package dev.jeton.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.support.TokenApi.Dialect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent password logins and refresh rotation chains against one server, each chain on
 * its own thread: log in, rotate a random number of times (every request sends the token the
 * previous response returned), keep the last token unsent, log in again. When the server dies
 * every chain ends, and what each one still holds is sorted by what the client knows of it:
 * <ul>
 *   <li>{@link #held()}: received in a 200 and never sent (or whose connection was refused,
 *       so no byte of the request reached the server);</li>
 *   <li>{@link #inFlight()}: sent in a request whose answer never came.</li>
 * </ul>
 */
public final class RotationLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LONGEST_CHAIN = 24;
    private static final int KEEP_EVERY_NTH_ACCESS_TOKEN = 8;

    public record Outstanding(Dialect dialect, String refreshToken) {
    }

    private final TokenApi api;
    private final String baseUrl;
    private final Queue<Outstanding> held = new ConcurrentLinkedQueue<>();
    private final Queue<Outstanding> inFlight = new ConcurrentLinkedQueue<>();
    private final Queue<String> accessTokens = new ConcurrentLinkedQueue<>();
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicInteger rotations = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger cutOff = new AtomicInteger();
    private final List<Thread> chains = new ArrayList<>();
    private volatile boolean stopped;

    private RotationLoad(TokenApi api, String baseUrl) {
        this.api = api;
        this.baseUrl = baseUrl;
    }

    /** Starts {@code chains} chains, alternating the OAuth 2.0 and the Occam dialect. */
    public static RotationLoad start(TokenApi api, String baseUrl, int chains, long seed) {
        RotationLoad load = new RotationLoad(api, baseUrl);
        Random seeds = new Random(seed);
        for (int i = 0; i < chains; i++) {
            Dialect dialect = Dialect.values()[i % Dialect.values().length];
            Random random = new Random(seeds.nextLong());
            load.chains.add(Thread.ofVirtual().name("chain-" + i).start(() -> load.chain(dialect, random)));
        }
        return load;
    }

    private void chain(Dialect dialect, Random random) {
        try {
            while (!stopped) {
                HttpResponse<String> login;
                try {
                    login = api.login(dialect, baseUrl);
                } catch (IOException e) {
                    cutOff.incrementAndGet();
                    return;
                }
                if (!answered(login)) return;
                logins.incrementAndGet();
                String token = field(login, "refresh_token");
                int length = random.nextInt(LONGEST_CHAIN + 1);
                for (int i = 0; i < length && !stopped; i++) {
                    HttpResponse<String> rotated;
                    try {
                        rotated = api.refresh(dialect, baseUrl, token);
                    } catch (ConnectException e) {
                        held.add(new Outstanding(dialect, token));
                        cutOff.incrementAndGet();
                        return;
                    } catch (IOException e) {
                        inFlight.add(new Outstanding(dialect, token));
                        cutOff.incrementAndGet();
                        return;
                    }
                    if (!answered(rotated)) return;
                    rotations.incrementAndGet();
                    token = field(rotated, "refresh_token");
                }
                held.add(new Outstanding(dialect, token));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A 200 keeps the chain going (and sometimes its access token for later checks); anything else is noted and ends it. */
    private boolean answered(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            unexpected.add(response.request().uri().getPath() + " answered " + response.statusCode() + " " + response.body());
            return false;
        }
        if ((logins.get() + rotations.get()) % KEEP_EVERY_NTH_ACCESS_TOKEN == 0) accessTokens.add(field(response, "access_token"));
        return true;
    }

    private static String field(HttpResponse<String> response, String name) {
        try {
            return JSON.readTree(response.body()).get(name).asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the chains have rotated {@code count} times and set aside {@code held} tokens since they started. */
    public void await(int count, int held) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (rotations.get() < count || this.held.size() < held) {
            if (!unexpected.isEmpty()) throw new AssertionError("the server refused a valid request: " + unexpected);
            if (System.nanoTime() > deadline) throw new AssertionError(rotations.get() + " rotations, " + this.held.size() + " held in 30 s");
            Thread.sleep(5);
        }
    }

    /** Ends every chain; call once the server is dead (each ends at its next request) or to stop the load. */
    public void stop() throws InterruptedException {
        stopped = true;
        for (Thread chain : chains) {
            if (!chain.join(java.time.Duration.ofSeconds(60))) throw new AssertionError(chain.getName() + " did not end");
        }
    }

    public List<Outstanding> held() { return List.copyOf(held); }

    public List<Outstanding> inFlight() { return List.copyOf(inFlight); }

    public List<String> accessTokens() { return List.copyOf(accessTokens); }

    /** Answers other than 200 while the server was up: a valid login or rotation was refused. */
    public List<String> unexpected() { return List.copyOf(unexpected); }

    public int rotations() { return rotations.get(); }

    public int logins() { return logins.get(); }

    /** Requests that failed because the server died under them. */
    public int cutOff() { return cutOff.get(); }
}
