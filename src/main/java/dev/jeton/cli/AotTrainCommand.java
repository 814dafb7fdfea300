package dev.jeton.cli;

import dev.jeton.Wiring;
import dev.jeton.config.ConfigLoader;
import dev.jeton.config.JetonConfig;
import dev.jeton.config.Setting;
import dev.jeton.engine.FirstRun.Credentials;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The launcher's training run for the JVM's ahead-of-time cache: a throw-away server that
 * starts, answers one request of each kind, and exits, so the next real start loads and links
 * those classes from the cache (about half the start-up time).
 */
@Command(name = "aot-train", hidden = true, description = "Starts a throw-away server on a temp dir and exits (for the start-up cache).")
public final class AotTrainCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("jeton-aot-");
        try {
            Map<Setting, String> flags = new EnumMap<>(Setting.class);
            flags.put(Setting.DATA_DIR, dir.toString());
            flags.put(Setting.PORT, "0");
            flags.put(Setting.IMDS_PORT, "0");
            flags.put(Setting.ACCESS_LOG, "false");
            JetonConfig config = ConfigLoader.load(null, Map.of(), flags);
            try (Wiring wiring = new Wiring(config, Clock.systemUTC())) {
                Credentials credentials = wiring.firstRun().seedIfEmpty().orElseThrow();
                wiring.serve();
                String base = "http://127.0.0.1:" + wiring.port();
                String basic = "Basic " + Base64.getEncoder().encodeToString(("demo:" + credentials.demoClientSecret().value())
                        .getBytes(StandardCharsets.UTF_8));
                HttpClient http = HttpClient.newHttpClient();
                send(http, HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration")).build());
                send(http, HttpRequest.newBuilder(URI.create(base + "/oidc/token")).header("Authorization", basic)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
                send(http, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + wiring.imdsPort()
                        + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x")).header("Metadata", "true").build());
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private static void send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        http.send(request, HttpResponse.BodyHandlers.discarding());
    }
}
