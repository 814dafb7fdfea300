package dev.jeton.http;

import dev.jeton.http.helidon.BothListeners;
import dev.jeton.http.helidon.ConnectionClose;
import dev.jeton.support.RawHttp;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slow-client watch lets go of a connection once it is closed. Each watch holds its
 * connection, and with it the connection's read buffer (16 KiB): kept until forgotten (twice the
 * idle timeout), clients that open a connection per request would fill the heap.
 */
class SlowClientsTest {
    private static final String REQUEST = "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n";

    private SlowClients slow;
    private WebServer server;

    @BeforeEach
    void start() {
        // Long enough that the sweeper's own runs (every second) find nothing to cut off.
        slow = new SlowClients(Duration.ofSeconds(30), Duration.ofSeconds(60), new DialectPaths(List.of(), new PlainErrors()));
        ConnectionClose close = new ConnectionClose();
        server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.addFilter(close).get("/x", (req, res) -> res.send("ok")))
                .addProtocol(Http1Config.builder()
                        .addReceiveListener(new BothListeners(slow.receiver(), close.receiver()))
                        .addSendListener(slow.sender())
                        .build())
                .build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
        slow.close();
    }

    @Test
    void sweepWhenConnectionsWereClosedThenTheirWatchesAreDropped() {
        for (int i = 0; i < 20; i++) {
            RawHttp.Answer answer = RawHttp.exchangeUntilClosed(server.port(), REQUEST + "Connection: close\r\n\r\n");
            assertThat(answer.text()).startsWith("HTTP/1.1 200 ").endsWith("ok");
            assertThat(answer.closedByServer()).isTrue();
        }

        // Helidon's close ends the sending side (the client's end of stream) a moment before it
        // closes the channel: sweep until the last one is seen closed too, within a bound.
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            slow.sweep();
            Thread.onSpinWait();
        } while (slow.watched() > 0 && System.nanoTime() - until < 0);

        assertThat(slow.watched()).isZero();
    }

    @Test
    void sweepWhenAKeepAliveConnectionIsOpenThenItsWatchStays() throws IOException {
        try (Socket open = new Socket("127.0.0.1", server.port())) {
            open.getOutputStream().write((REQUEST + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = open.getInputStream();
            String answer = "";
            byte[] buffer = new byte[1024];
            while (!answer.endsWith("ok")) {
                int n = in.read(buffer);
                assertThat(n).as("the answer before the connection ends").isPositive();
                answer += new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
            }

            slow.sweep();

            assertThat(slow.watched()).isEqualTo(1);
        }
    }
}
