package dev.jeton.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real Docker Distribution registry (Debian's docker-registry) with token auth pointed at a Jeton. */
public final class DockerRegistry implements AutoCloseable {
    public static final String SERVICE = "jeton-test-registry";
    private final Process process;
    private final int port;
    private final Path log;

    private DockerRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static DockerRegistry start(Path dir, String jetonIssuer, Path certificateBundle) throws Exception {
        return start(dir, jetonIssuer, certificateBundle, null);
    }

    /** With {@code tls} the registry itself serves HTTPS with that certificate and key; null: plain HTTP. */
    public static DockerRegistry start(Path dir, String jetonIssuer, Path certificateBundle, OpenSsl.Pem tls) throws Exception {
        Packages.require("/usr/bin/docker-registry", "docker-registry");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                  secret: jeton-test-secret
                %s
                auth:
                  token:
                    realm: %s/oauth2/token
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(dir.resolve("storage"), port,
                tls == null ? "" : "  tls:\n    certificate: " + tls.cert() + "\n    key: " + tls.key(), jetonIssuer, SERVICE, jetonIssuer, certificateBundle));
        Path log = dir.resolve("registry.log");
        Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket()) {
                ignored.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new DockerRegistry(p, port, log);
            } catch (IOException notYet) {
                if (!p.isAlive()) throw new IllegalStateException("docker-registry exited:\n" + Files.readString(log));
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("docker-registry did not listen within 20s:\n" + Files.readString(log));
    }

    public String address() { return "127.0.0.1:" + port; }

    public String log() throws IOException { return Files.readString(log); }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
