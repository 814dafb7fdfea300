package dev.jeton.http;

import dev.jeton.config.Setting;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.DialectLogins;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits per client (or user) and per source address: 3 requests per hour here, so the
 * fourth is refused with 429, Retry-After in whole seconds and the dialect's own error body,
 * while other clients and addresses are still served. Time is the servers' injected clock, which
 * stands still unless a test moves it: three requests at one instant leave exactly 20 minutes to wait.
 */
class RateLimitTest {
    static final String PASSWORD = "correct-horse-battery";

    @TempDir
    static Path clientDir;
    @TempDir
    static Path sourceDir;
    static final MutableClock CLOCK = MutableClock.startingNow();
    static Jetons.Running perClient;
    static Jetons.Running perSource;

    @BeforeAll
    static void start() {
        perClient = Jetons.start(clientDir, CLOCK, Map.of(Setting.RATE_LIMIT_CLIENT, "3/h"));
        perSource = Jetons.start(sourceDir, CLOCK, Map.of(Setting.RATE_LIMIT_SOURCE, "3/h", Setting.TRUSTED_PROXIES, "127.0.0.1/32"));
        for (DialectLogins d : DialectLogins.values()) {
            for (String who : List.of("first", "second")) {
                perClient.wiring().admin().accounts().addUser(d.name().toLowerCase() + "-" + who, new Secret(PASSWORD), List.of());
            }
        }
    }

    @AfterAll
    static void stop() {
        perClient.close();
        perSource.close();
    }

    /** These dialects log in through one shared built-in client, so each user is counted; oauth2 counts its client, below. */
    @ParameterizedTest
    @EnumSource(value = DialectLogins.class, names = {"OCCAM", "REGISTRY", "RUNAI"})
    void loginsWhenOneUserAsksAFourthTimeInTheHourThen429ForThatUserOnly(DialectLogins dialect) {
        String first = dialect.name().toLowerCase() + "-first";
        String second = dialect.name().toLowerCase() + "-second";
        for (int i = 0; i < 3; i++) assertThat(dialect.login(perClient, first, PASSWORD, null).statusCode()).isEqualTo(200);
        assertLimited(dialect, dialect.login(perClient, first, PASSWORD, null), "client");
        assertThat(dialect.login(perClient, second, PASSWORD, null).statusCode()).isEqualTo(200);
    }

    @Test
    void loginWhenRetryAfterHasPassedThenServedAgain() {
        perClient.wiring().admin().accounts().addUser("patient", new Secret(PASSWORD), List.of());
        for (int i = 0; i < 3; i++) assertThat(DialectLogins.RUNAI.login(perClient, "patient", PASSWORD, null).statusCode()).isEqualTo(200);
        assertLimited(DialectLogins.RUNAI, DialectLogins.RUNAI.login(perClient, "patient", PASSWORD, null), "client");
        CLOCK.advance(Duration.ofSeconds(1199));
        assertLimited(DialectLogins.RUNAI, DialectLogins.RUNAI.login(perClient, "patient", PASSWORD, null), "client", 1);
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(DialectLogins.RUNAI.login(perClient, "patient", PASSWORD, null).statusCode()).isEqualTo(200);
        // One token came back in 20 minutes, and it is spent again.
        assertLimited(DialectLogins.RUNAI, DialectLogins.RUNAI.login(perClient, "patient", PASSWORD, null), "client");
    }

    /** GCRA keeps one instant per key; a wall clock stepping back must not lock a client out for the length of the step. */
    @Test
    void acquireWhenTheClockStepsBackAnHourThenRefusesForOneIntervalOnly() {
        MutableClock clock = MutableClock.startingNow();
        RateLimit limit = new RateLimit(3, Duration.ofHours(1), clock);
        for (int i = 0; i < 3; i++) assertThat(limit.acquire("k")).isZero();
        assertThat(limit.acquire("k")).isEqualTo(1200);
        clock.advance(Duration.ofHours(-1));
        assertThat(limit.acquire("k")).isEqualTo(1200);
        clock.advance(Duration.ofMinutes(20));
        assertThat(limit.acquire("k")).isZero();
        assertThat(limit.acquire("k")).isEqualTo(1200);
        assertThat(limit.acquire("other")).isZero();
    }

    @Test
    void clientCredentialsWhenOneClientAsksAFourthTimeThen429AndOtherClientsServed() {
        Secret busy = app("busy-app");
        Secret quiet = app("quiet-app");
        String url = perClient.baseUrl() + "/oidc/token";
        for (int i = 0; i < 3; i++) {
            assertThat(Http.postForm(url, "grant_type=client_credentials", Http.basic("busy-app", busy.value())).statusCode()).isEqualTo(200);
        }
        assertLimited(DialectLogins.OAUTH2, Http.postForm(url, "grant_type=client_credentials", Http.basic("busy-app", busy.value())), "client");
        // Counted per client whatever the grant: its password logins are refused too.
        assertThat(Http.postForm(url, "grant_type=password&username=oauth2-first&password=" + PASSWORD, Http.basic("busy-app", busy.value()))
                .statusCode()).isEqualTo(429);
        assertThat(Http.postForm(url, "grant_type=client_credentials", Http.basic("quiet-app", quiet.value())).statusCode()).isEqualTo(200);
    }

    static Secret app(String id) {
        return perClient.wiring().admin().accounts().addClient(new ClientSpec(id, Set.of(GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD), Set.of(),
                List.of(), List.of(), null, null, RefreshPolicy.ROTATING, false)).secret();
    }

    @ParameterizedTest
    @EnumSource(DialectLogins.class)
    void requestsWhenOneAddressAsksAFourthTimeThen429ForThatAddressOnly(DialectLogins dialect) {
        String address = "203.0.113." + (20 + dialect.ordinal());
        String user = "someone-" + dialect.ordinal();
        for (int i = 0; i < 3; i++) {
            assertThat(dialect.login(perSource, user, "wrong", address).statusCode()).isEqualTo(dialect.badCredentialsStatus());
        }
        assertLimited(dialect, dialect.login(perSource, user, "wrong", address), "address");
        assertThat(dialect.login(perSource, user, "wrong", "203.0.113." + (120 + dialect.ordinal())).statusCode())
                .isEqualTo(dialect.badCredentialsStatus());
    }

    @Test
    void forwardedForWhenItsLeftPartVariesThenRightmostUntrustedAddressIsCounted() {
        for (int i = 0; i < 3; i++) {
            assertThat(DialectLogins.OCCAM.login(perSource, "forwarded", "wrong", "10.9.9." + i + ", 198.51.100.77").statusCode()).isEqualTo(400);
        }
        assertLimited(DialectLogins.OCCAM, DialectLogins.OCCAM.login(perSource, "forwarded", "wrong", "10.9.9.200, 198.51.100.77"), "address");
    }

    @Test
    void forwardedForWhenPeerIsNotATrustedProxyThenIgnored(@TempDir Path own) {
        try (Jetons.Running direct = Jetons.start(own, MutableClock.startingNow(),
                Map.of(Setting.RATE_LIMIT_SOURCE, "3/h"))) {
            for (int i = 0; i < 3; i++) {
                assertThat(DialectLogins.RUNAI.login(direct, "someone", "wrong", "192.0.2." + i).statusCode()).isEqualTo(401);
            }
            assertLimited(DialectLogins.RUNAI, DialectLogins.RUNAI.login(direct, "someone", "wrong", "192.0.2.77"), "address");
        }
    }

    @Test
    void healthAndMetricsWhenAddressIsLimitedThenStillServed() {
        String address = "203.0.113.250";
        for (int i = 0; i < 3; i++) DialectLogins.OAUTH2.login(perSource, "health", "wrong", address);
        assertLimited(DialectLogins.OAUTH2, DialectLogins.OAUTH2.login(perSource, "health", "wrong", address), "address");
        for (String path : List.of("/health/live", "/health/ready", "/metrics", "/openapi/oauth2.yaml")) {
            HttpResponse<String> res = Http.send(HttpRequest.newBuilder(URI.create(perSource.baseUrl() + path))
                    .header("X-Forwarded-For", address).build());
            assertThat(res.statusCode()).as(path).isEqualTo(200);
        }
    }

    /** 3 per hour refill one every 20 minutes: with the clock standing still, the wait is exactly that. */
    static void assertLimited(DialectLogins dialect, HttpResponse<String> res, String what) {
        assertLimited(dialect, res, what, 1200);
    }

    static void assertLimited(DialectLogins dialect, HttpResponse<String> res, String what, long seconds) {
        assertThat(res.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(res.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isEqualTo(seconds);
        String said = "Too many requests for this " + what + "; try again in " + retryAfter + " s";
        switch (dialect) {
            case OAUTH2 -> assertThat(res.body()).isEqualTo("{\"error\":\"temporarily_unavailable\",\"error_description\":\"" + said + "\"}");
            case OCCAM -> assertThat(res.body()).isEqualTo("{\"detail\":\"Too Many Requests\"}");
            case REGISTRY -> assertThat(res.body()).isEqualTo("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"" + said + "\"}]}");
            case RUNAI -> assertThat(res.body()).isEqualTo("{\"code\":429,\"message\":\"" + said + "\"}");
        }
    }
}
