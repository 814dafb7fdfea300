package dev.jeton.cli;

import dev.jeton.support.InProcessCli;
import dev.jeton.support.InProcessCli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A server that cannot open its port says so and exits, instead of running without a listener. */
class ServePortInUseTest {

    @Test
    @Timeout(300) // only against a hang: before the fix, serve waited forever with no listener open
    void serveWhenItsPortIsTakenThenExitsWithOneClearLine(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Result serve = InProcessCli.run(null, "serve", "--data-dir", dir.toString(), "--host", "127.0.0.1",
                    "--port", Integer.toString(taken.getLocalPort()), "--imds-port", "-1");

            assertThat(serve.code()).isEqualTo(1);
            assertThat(serve.err()).contains("jeton: could not open every listener").doesNotContain("Exception");
            assertThat(serve.out()).doesNotContain("jeton listening on");
        }
    }
}
