package dev.jeton.http.helidon;

import dev.jeton.support.Jetons;
import dev.jeton.support.RawHttp;
import dev.jeton.support.RawHttp.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that gives up in the middle of its request body gets no answer, not a 500: there is
 * nobody to read it, and Helidon 4.5.0 would otherwise hand the route a bare end-of-data
 * exception ({@link EndedMidRequest}). The server stays up for the next client.
 */
class EndedMidRequestTest {
    @org.junit.jupiter.api.io.TempDir
    static Path dir;
    static Jetons.Running jeton;

    @BeforeAll
    static void start() { jeton = Jetons.start(dir, Clock.systemUTC(), Map.of()); }

    @AfterAll
    static void stop() { jeton.close(); }

    @ParameterizedTest
    @ValueSource(strings = {
            "Content-Length: 100\r\n\r\ngrant_type=client_cre",
            "Transfer-Encoding: chunked\r\n\r\n20\r\ngrant_type=client_cre"})
    void bodyWhenConnectionEndsMidwayThenClosedWithoutAnAnswer(String rest) {
        Answer answer = RawHttp.sendThenEnd(jeton.wiring().port(),
                "POST /oidc/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n" + rest);
        assertThat(answer.text()).isEmpty();
        assertThat(answer.closedByServer()).isTrue();
        assertThat(RawHttp.exchange(jeton.wiring().port(), "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ");
    }
}
