package dev.jeton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.config.Setting;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.ResourceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Everything survives a restart: keys, clients, users, refresh families. */
class RestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void restartWhenSameDataDirThenOldTokensVerifyAndRefreshTokensStillWork() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<Setting, String> fixedPort = Map.of(Setting.PORT, String.valueOf(port));
        String demoBasic;
        JsonNode login;
        String password;
        try (Jetons.Running first = Jetons.start(dir, Clock.systemUTC(), fixedPort)) {
            demoBasic = Http.basic("demo", first.demoSecret());
            password = first.adminPassword();
            login = JSON.readTree(Http.postForm(first.baseUrl() + "/oidc/token",
                    "grant_type=password&username=admin&password=" + password, demoBasic).body());
        }

        try (Jetons.Running second = Jetons.start(dir, Clock.systemUTC(), fixedPort)) {
            assertThat(second.credentials()).as("no second seeding").isNull();
            ResourceServer rs = new ResourceServer(second.baseUrl() + "/oidc/jwks", second.baseUrl(), second.baseUrl());
            assertThat(rs.verify(login.get("access_token").asText()).getStringClaim("preferred_username")).isEqualTo("admin");

            JsonNode refreshed = JSON.readTree(Http.postForm(second.baseUrl() + "/oidc/token",
                    "grant_type=refresh_token&refresh_token=" + login.get("refresh_token").asText(), demoBasic).body());
            assertThat(refreshed.get("access_token")).isNotNull();
            assertThat(Http.postForm(second.baseUrl() + "/oidc/token", "grant_type=password&username=admin&password=" + password,
                    demoBasic).statusCode()).isEqualTo(200);
        }
    }
}
