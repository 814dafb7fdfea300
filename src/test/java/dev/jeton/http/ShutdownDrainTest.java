package dev.jeton.http;

import dev.jeton.support.Jetons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What SIGTERM does (the shutdown hook closes the server): the listener stops accepting at once,
 * and a request already in flight still gets its answer. Here the server is reading the request
 * (it has said {@code 100 Continue}) when the stop begins; its body arrives after the listener
 * has closed.
 */
class ShutdownDrainTest {
    @TempDir
    Path dir;

    @Test
    void aRequestInFlightWhenTheServerStopsIsAnswered() throws Exception {
        Jetons.Running jeton = Jetons.start(dir);
        int port = jeton.wiring().port();
        String body = "grant_type=client_credentials&scope=read";
        String basic = Base64.getEncoder().encodeToString(("demo:" + jeton.demoSecret()).getBytes(StandardCharsets.UTF_8));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /oidc/token HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nAuthorization: Basic " + basic + "\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(readHead(s)).as("the handler asks for the body").startsWith("HTTP/1.1 100");

            Thread stopping = Thread.ofPlatform().start(jeton::close);
            awaitRefused(port);
            out.write(body.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = readAll(s);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\"access_token\"");
            stopping.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(stopping.isAlive()).isFalse();
        }
    }

    /** Reads one response head (up to the blank line). */
    private static String readHead(Socket s) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = s.getInputStream().read();
            if (c < 0) break;
            head.append((char) c);
        }
        return head.toString();
    }

    /** Polls until the listener no longer accepts: the stop has begun. */
    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the listener still accepts 20 s after the stop began");
    }

    private static String readAll(Socket s) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = s.getInputStream().read(buffer)) >= 0) got.write(buffer, 0, n);
        return got.toString(StandardCharsets.ISO_8859_1);
    }
}
