package dev.jeton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.config.ConfigLoader;
import dev.jeton.config.Setting;
import dev.jeton.engine.FirstRun.Credentials;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.TokenApi;
import dev.jeton.support.TokenApi.Dialect;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Jeton server on a PostgreSQL that stops and starts again while the server keeps running
 * (a database restart, a failover). During the outage each dialect answers a clean 503 with
 * Retry-After in its own shape, readiness says DOWN and the audit log gives the reason; after it,
 * the same server answers again without being restarted, and a refresh token that the outage
 * refused was not used up: it rotates exactly once.
 */
class DatabaseRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    @Test
    void postgresRestartWhenServerKeepsRunningThenOutageIsA503InEachDialectAndTheRefusedTokensStillRotateOnce() throws Exception {
        int port = freePort();
        Path pgData = dir.resolve("pg");
        EmbeddedPostgres pg = postgres(pgData, port);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE jeton");
        }
        Path data = dir.resolve("data");
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.DATA_DIR, data.toString());
        flags.put(Setting.STORE, "postgresql://postgres@localhost:" + port + "/jeton");
        flags.put(Setting.PORT, "0");
        flags.put(Setting.IMDS_PORT, "-1");
        flags.put(Setting.ACCESS_LOG, "false");
        flags.put(Setting.ARGON2_MEMORY_KIB, "1024");
        flags.put(Setting.ARGON2_ITERATIONS, "1");
        // Requests wait for a connection up to 5 s; on a loaded machine the default 10 s to answer a POST is close.
        flags.put(Setting.REQUEST_TIMEOUT, "60s");
        Wiring wiring = new Wiring(ConfigLoader.load(null, Map.of(), flags), Clock.systemUTC());
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Credentials first = wiring.admin().firstRun().seedIfEmpty().orElseThrow();
            wiring.serve();
            String base = wiring.baseUrl();
            TokenApi api = new TokenApi(first.adminUser(), first.adminPassword().value(), first.demoClientSecret().value());
            String oauth2Token = refreshToken(api.login(Dialect.OAUTH2, base));
            String occamToken = refreshToken(api.login(Dialect.OCCAM, base));

            pg.close();
            // Each request waits for a connection as long as the pool allows, so they wait side by side.
            Future<HttpResponse<String>> oauth2 = clients.submit(() -> api.refresh(Dialect.OAUTH2, base, oauth2Token));
            Future<HttpResponse<String>> occam = clients.submit(() -> api.refresh(Dialect.OCCAM, base, occamToken));
            Future<HttpResponse<String>> ready = clients.submit(get(base + "/health/ready"));
            Future<HttpResponse<String>> registry = clients.submit(() -> HTTP.send(HttpRequest.newBuilder(URI.create(
                            base + "/oauth2/token?service=registry.example&scope=repository:team/app:pull"))
                    .header("Authorization", Http.basic(first.adminUser(), first.adminPassword().value()))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString()));

            HttpResponse<String> refused = oauth2.get();
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(JSON.readTree(refused.body())).isEqualTo(JSON.readTree(
                    "{\"error\":\"temporarily_unavailable\",\"error_description\":\"the database cannot be reached at the moment; try again shortly\"}"));
            HttpResponse<String> occamRefused = occam.get();
            assertThat(occamRefused.statusCode()).as(occamRefused.body()).isEqualTo(503);
            assertThat(occamRefused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(occamRefused.body()).isEqualTo("{\"detail\":\"Service Unavailable\"}");
            HttpResponse<String> registryRefused = registry.get();
            assertThat(registryRefused.statusCode()).as(registryRefused.body()).isEqualTo(503);
            assertThat(registryRefused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(JSON.readTree(registryRefused.body()).path("errors").path(0).path("code").asText()).isEqualTo("UNAVAILABLE");
            assertThat(ready.get().statusCode()).isEqualTo(503);
            assertThat(ready.get().body()).isEqualTo("{\"status\":\"DOWN\"}");
            // The three refusals run concurrently, so the refresh token's is not necessarily the first line.
            JsonNode audited = AuditTrail.of(data).await(line -> "store.unavailable".equals(line.path("reason").asText())
                    && "refresh_token".equals(line.path("grant").asText()));
            assertThat(audited.path("event").asText()).isEqualTo("refused");
            assertThat(audited.path("grant").asText()).isEqualTo("refresh_token");

            pg = postgres(pgData, port);
            // The same server, not restarted: its pooled connections all died with the old database process.
            HttpResponse<String> rotated = api.refresh(Dialect.OAUTH2, base, oauth2Token);
            assertThat(rotated.statusCode()).as("the token the outage refused, after it: %s", rotated.body()).isEqualTo(200);
            HttpResponse<String> occamRotated = api.refresh(Dialect.OCCAM, base, occamToken);
            assertThat(occamRotated.statusCode()).as(occamRotated.body()).isEqualTo(200);
            assertThat(clients.submit(get(base + "/health/ready")).get().statusCode()).isEqualTo(200);
            // Exactly once: the refused token rotated now, so presenting it again is reuse.
            HttpResponse<String> again = api.refresh(Dialect.OAUTH2, base, oauth2Token);
            assertThat(again.statusCode()).isEqualTo(400);
            assertThat(again.body()).isEqualTo(Dialect.OAUTH2.reusedBody);
            assertThat(refreshToken(api.refresh(Dialect.OCCAM, base, refreshToken(occamRotated)))).isNotBlank();
        } finally {
            wiring.close();
            clients.close();
            pg.close();
        }
    }

    /** A PostgreSQL on a fixed port and data directory, so that a second start is the same database back. */
    private static EmbeddedPostgres postgres(Path data, int port) throws java.io.IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private static Callable<HttpResponse<String>> get(String url) {
        return () -> HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String refreshToken(HttpResponse<String> response) throws java.io.IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("refresh_token").asText();
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
