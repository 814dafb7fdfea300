package dev.jeton.http.helidon;

import dev.jeton.support.Jetons;
import dev.jeton.support.RawHttp;
import dev.jeton.support.RawHttp.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An answer that says {@code Connection: close} is followed by the end of the connection
 * (RFC 9112 section 9.6), well before the idle timeout (the default, 60 s, here): Helidon 4.5.0
 * alone would keep the socket open.
 */
class ConnectionCloseTest {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

    @TempDir
    static Path dir;
    static Jetons.Running jeton;

    @BeforeAll
    static void start() { jeton = Jetons.start(dir, Clock.systemUTC(), Map.of()); }

    @AfterAll
    static void stop() { jeton.close(); }

    private static int port() { return jeton.wiring().port(); }

    private static long answers(Answer answer) {
        return STATUS_LINE.matcher(answer.text()).results().count();
    }

    @Test
    void requestWhenClientAsksForCloseThenAnsweredAndClosed() {
        Answer answer = RawHttp.exchangeUntilClosed(port(), "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(answer.text()).startsWith("HTTP/1.1 200 ").contains("Connection: close").endsWith("{\"status\":\"UP\"}");
        assertThat(answer.closedByServer()).isTrue();
    }

    @Test
    void imdsListenerWhenClientAsksForCloseThenClosedToo() {
        Answer answer = RawHttp.exchangeUntilClosed(jeton.wiring().imdsPort(),
                "GET /metadata/identity/oauth2/token?resource=x HTTP/1.1\r\nHost: 127.0.0.1\r\nMetadata: true\r\nConnection: close\r\n\r\n");
        assertThat(answer.text()).startsWith("HTTP/1.1 400 ");
        assertThat(answer.closedByServer()).isTrue();
    }

    @Test
    void bodyWhenNoRouteReadsItThenAnsweredWithCloseAndClosedInsteadOfReadingTheBodyAsARequest() {
        Answer answer = RawHttp.exchangeUntilClosed(port(),
                "POST /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 40\r\n\r\nGET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(answer.text()).startsWith("HTTP/1.1 404 ").contains("Connection: close");
        assertThat(answers(answer)).as("the body is not answered as a request of its own").isEqualTo(1);
        assertThat(answer.closedByServer()).isTrue();
    }

    @Test
    void pipelinedRequestsWhenOnlyTheLastAsksForCloseThenEachAnsweredThenClosed() {
        String keepAlive = "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        Answer answer = RawHttp.exchangeUntilClosed(port(), keepAlive + keepAlive
                + "GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(answers(answer)).isEqualTo(3);
        assertThat(answer.closedByServer()).isTrue();
    }
}
