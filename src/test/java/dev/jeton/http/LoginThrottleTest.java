package dev.jeton.http;

import dev.jeton.config.Setting;
import dev.jeton.model.Secret;
import dev.jeton.support.DialectLogins;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed password logins are throttled per user name and per source address on every path
 * that checks a password, answered 429 with Retry-After in each dialect's shape. Configured
 * here to 2 failures per user and 4 per address (defaults 5 and 50) within 5 minutes.
 */
class LoginThrottleTest {
    static final String PASSWORD = "correct-horse-battery";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static final MutableClock clock = MutableClock.startingNow();

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir, clock, Map.of(Setting.LOGIN_FAILURES_PER_USER, "2", Setting.LOGIN_FAILURES_PER_ADDRESS, "4",
                Setting.LOGIN_FAILURE_WINDOW, "5m", Setting.TRUSTED_PROXIES, "127.0.0.1"));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    static String user(String name) {
        jeton.wiring().admin().accounts().addUser(name, new Secret(PASSWORD), List.of());
        return name;
    }

    @ParameterizedTest
    @EnumSource(DialectLogins.class)
    void loginWhenUserFailedTwiceThenRefusedEvenWithRightPasswordUntilWindowEnds(DialectLogins dialect) {
        String name = dialect.name().toLowerCase();
        String victim = user(name + "-victim@example.com");
        String other = user(name + "-other@example.com");
        String address = "198.51.100." + (10 + dialect.ordinal());
        for (int i = 0; i < 2; i++) {
            assertThat(dialect.login(jeton, victim, "wrong-" + i, address).statusCode()).isEqualTo(dialect.badCredentialsStatus());
        }
        HttpResponse<String> throttled = dialect.login(jeton, victim, PASSWORD, address);
        assertThrottled(dialect, throttled);
        // Per user: another address does not help; per address (2 failures of 4): another user still logs in.
        assertThrottled(dialect, dialect.login(jeton, victim, PASSWORD, "198.51.100.99"));
        assertThat(dialect.login(jeton, other, PASSWORD, address).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(dialect.login(jeton, victim, PASSWORD, address).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(DialectLogins.class)
    void loginWhenAddressFailedFourTimesForManyUsersThenRefusedFromThatAddressOnly(DialectLogins dialect) {
        String name = dialect.name().toLowerCase();
        String address = "203.0.113." + (10 + dialect.ordinal());
        for (int i = 0; i < 4; i++) {
            String sprayed = user(name + "-sprayed-" + i + "@example.com");
            assertThat(dialect.login(jeton, sprayed, "wrong", address).statusCode()).isEqualTo(dialect.badCredentialsStatus());
        }
        String fresh = user(name + "-fresh@example.com");
        assertThrottled(dialect, dialect.login(jeton, fresh, PASSWORD, address));
        assertThat(dialect.login(jeton, fresh, PASSWORD, "203.0.113.200").statusCode()).isEqualTo(200);
    }

    @Test
    void loginWhenUserUnknownThenThrottledAlikeSoNoOneLearnsWhoExists() {
        String address = "192.0.2.50";
        for (int i = 0; i < 2; i++) {
            assertThat(DialectLogins.OAUTH2.login(jeton, "nobody@example.com", "guess-" + i, address).statusCode()).isEqualTo(400);
        }
        assertThrottled(DialectLogins.OAUTH2, DialectLogins.OAUTH2.login(jeton, "nobody@example.com", "guess-3", address));
    }

    @Test
    void loginWhenSuccessfulThenUserFailuresForgotten() {
        String address = "192.0.2.60";
        String u = user("forgiven@example.com");
        assertThat(DialectLogins.OCCAM.login(jeton, u, "typo", address).statusCode()).isEqualTo(400);
        assertThat(DialectLogins.OCCAM.login(jeton, u, PASSWORD, address).statusCode()).isEqualTo(200);
        assertThat(DialectLogins.OCCAM.login(jeton, u, "typo-again", address).statusCode()).isEqualTo(400);
        assertThat(DialectLogins.OCCAM.login(jeton, u, PASSWORD, address).statusCode()).isEqualTo(200);
    }

    @Test
    void throttleWhenTurnedOffThenFailuresNeverRefuseALogin(@TempDir Path other) {
        try (Jetons.Running open = Jetons.start(other, MutableClock.startingNow(), Map.of(Setting.LOGIN_FAILURES_PER_USER, "0",
                Setting.LOGIN_FAILURES_PER_ADDRESS, "0"))) {
            open.wiring().admin().accounts().addUser("free@example.com", new Secret(PASSWORD), List.of());
            for (int i = 0; i < 8; i++) {
                assertThat(DialectLogins.OCCAM.login(open, "free@example.com", "wrong", null).statusCode()).isEqualTo(400);
            }
            assertThat(DialectLogins.OCCAM.login(open, "free@example.com", PASSWORD, null).statusCode()).isEqualTo(200);
        }
    }

    static void assertThrottled(DialectLogins dialect, HttpResponse<String> res) {
        assertThat(res.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(res.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 300L);
        switch (dialect) {
            case OAUTH2 -> assertThat(res.body()).isEqualTo("{\"error\":\"temporarily_unavailable\",\"error_description\":"
                    + "\"Too many failed logins. Try again in " + retryAfter + " seconds.\"}");
            case OCCAM -> assertThat(res.body()).isEqualTo("{\"detail\":\"Too Many Requests\"}");
            case REGISTRY -> assertThat(res.body()).isEqualTo("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":"
                    + "\"Too many failed logins. Try again in " + retryAfter + " seconds.\"}]}");
            case RUNAI -> assertThat(res.body()).isEqualTo("{\"code\":429,\"message\":\"Too many failed logins. Try again in "
                    + retryAfter + " seconds.\"}");
        }
    }
}
