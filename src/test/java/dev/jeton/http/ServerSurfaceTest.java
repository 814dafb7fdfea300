package dev.jeton.http;

import dev.jeton.config.Setting;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Health, metrics, OpenAPI documents, and an access log that never holds a secret. */
class ServerSurfaceTest {
    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static final List<String> logLines = new CopyOnWriteArrayList<>();
    static final Handler capture = new Handler() {
        @Override public void publish(LogRecord r) { logLines.add(new java.util.logging.SimpleFormatter().formatMessage(r)); }
        @Override public void flush() { }
        @Override public void close() { }
    };

    @BeforeAll
    static void start() {
        Logger.getLogger("").addHandler(capture);
        jeton = Jetons.start(dir, Clock.systemUTC(), Map.of(Setting.ACCESS_LOG, "true"));
    }

    @AfterAll
    static void stop() {
        jeton.close();
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void healthWhenRunningThenLiveAndReady() {
        assertThat(Http.get(jeton.baseUrl() + "/health/live", null).body()).isEqualTo("{\"status\":\"UP\"}");
        HttpResponse<String> ready = Http.get(jeton.baseUrl() + "/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void metricsWhenTokensIssuedAndRefusedThenCountedByDialectGrantAndOutcome() {
        Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials", Http.basic("demo", jeton.demoSecret()));
        Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials", Http.basic("demo", "nope"));
        String metrics = Http.get(jeton.baseUrl() + "/metrics", null).body();
        assertThat(metrics).contains("jeton_tokens_total{dialect=\"oauth2\",grant=\"client_credentials\",outcome=\"issued\"}");
        assertThat(metrics).contains("jeton_tokens_total{dialect=\"oauth2\",grant=\"client_credentials\",outcome=\"invalid_client\"}");
        assertThat(metrics).contains("jeton_token_duration_seconds_bucket{dialect=\"oauth2\",grant=\"client_credentials\"");
    }

    @Test
    void openApiWhenFetchedThenPerDialectAndCombined() {
        HttpResponse<String> oauth2 = Http.get(jeton.baseUrl() + "/openapi/oauth2.yaml", null);
        assertThat(oauth2.statusCode()).isEqualTo(200);
        assertThat(oauth2.body()).contains("operationId: token").contains("/oidc/introspect");
        HttpResponse<String> combined = Http.get(jeton.baseUrl() + "/openapi.yaml", null);
        assertThat(combined.body()).contains("Jeton (all dialects)").contains("/oidc/token");
        assertThat(Http.get(jeton.baseUrl() + "/openapi/nope.yaml", null).statusCode()).isEqualTo(404);
    }

    @Test
    void unknownPathWhenRequestedThen404WithoutStackTrace() {
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/nothing/here", null);
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(res.body()).doesNotContain("Exception");
    }

    @Test
    void accessLogWhenSecretsTravelInBodyHeaderAndQueryThenNoneIsLogged() {
        String secret = jeton.demoSecret();
        String password = jeton.adminPassword();
        HttpResponse<String> login = Http.postForm(jeton.baseUrl() + "/oidc/token?client_secret=" + secret,
                "grant_type=password&username=admin&password=" + password, Http.basic("demo", secret));
        String refresh = login.body().replaceAll(".*\"refresh_token\":\"([^\"]+)\".*", "$1");
        String access = login.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=refresh_token&refresh_token=" + refresh, Http.basic("demo", "wrong"));
        Http.send(HttpRequest.newBuilder(URI.create(jeton.baseUrl() + "/oidc/userinfo")).header("Authorization", "Bearer " + access).build());
        Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=password&username=admin&password=wrong-" + password,
                Http.basic("demo", secret));

        assertThat(logLines).anyMatch(l -> l.contains("POST /oidc/token 200"));
        String all = String.join("\n", logLines);
        assertThat(all).doesNotContain(secret).doesNotContain(password).doesNotContain(refresh).doesNotContain(access);
    }
}
