package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.Wiring;
import dev.jeton.config.ConfigLoader;
import dev.jeton.config.JetonConfig;
import dev.jeton.config.Setting;
import dev.jeton.engine.FirstRun.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The launcher's training run for the JVM's ahead-of-time cache. The JVM loads every class of
 * the cache at start, so the cache must hold what a server start needs and nothing else: the
 * launcher first runs {@code --prepare} without recording (first-run seeding: key generation,
 * certificates, password hashing), then records a plain start on that data dir answering one
 * request of each kind over a bare socket (an HTTP client would add its own 300 classes).
 */
@Command(name = "aot-train", hidden = true, description = "Seeds a data dir (--prepare), or starts a throw-away server on it and exits (for the start-up cache).")
public final class AotTrainCommand implements Callable<Integer> {
    private static final String SECRET_FILE = "aot-train-client-secret";
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");

    @Option(names = "--data-dir", required = true, description = "Throw-away data directory.")
    Path dataDir;

    @Option(names = "--prepare", description = "Seed the data dir and keep the demo client's secret in it, then exit.")
    boolean prepare;

    @Override
    public Integer call() throws Exception {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.DATA_DIR, dataDir.toString());
        flags.put(Setting.PORT, "0");
        flags.put(Setting.IMDS_PORT, "0");
        flags.put(Setting.ACCESS_LOG, "false");
        JetonConfig config = ConfigLoader.load(null, Map.of(), flags);
        if (prepare) {
            try (AdminWiring admin = new AdminWiring(config, Clock.systemUTC())) {
                admin.keys();
                Credentials credentials = admin.firstRun().seedIfEmpty().orElseThrow();
                Files.writeString(dataDir.resolve(SECRET_FILE), credentials.demoClientSecret().value());
                return 0;
            }
        }
        try (Wiring wiring = new Wiring(config, Clock.systemUTC())) {
            String secret = Files.readString(dataDir.resolve(SECRET_FILE));
            wiring.serve();
            String basic = "Basic " + Base64.getEncoder().encodeToString(("demo:" + secret).getBytes(StandardCharsets.UTF_8));
            send(wiring.port(), "GET /.well-known/openid-configuration HTTP/1.1\r\n\r\n");
            String form = "grant_type=client_credentials";
            send(wiring.port(), "POST /oidc/token HTTP/1.1\r\nAuthorization: " + basic
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form);
            send(wiring.imdsPort(), "GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=x HTTP/1.1\r\nMetadata: true\r\n\r\n");
        }
        return 0;
    }

    /** One request on its own connection, its answer read to the end of its body (by Content-Length, as HTTP/1.1 clients do). */
    private static void send(int port, String request) throws IOException {
        String withHost = request.replaceFirst("\r\n", "\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(withHost.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) return;
                head.append((char) b);
            }
            Matcher length = CONTENT_LENGTH.matcher(head);
            in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
        }
    }
}
