package dev.jeton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.client.admin.ApiResponse;
import dev.jeton.client.admin.api.ClientsApi;
import dev.jeton.client.admin.model.Client;
import dev.jeton.client.admin.model.CreatedClient;
import dev.jeton.client.admin.model.NewClient;
import dev.jeton.client.admin.model.RotateSecret;
import dev.jeton.client.admin.model.RotatedSecret;
import dev.jeton.support.AdminClients;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.jeton.admin.AdminApiTest.etag;
import static org.assertj.core.api.Assertions.assertThat;

/** A secret rotation's overlap window: both secrets work inside it, only the new one after it; through the API and the CLI. */
class ClientSecretRotationTest {
    @TempDir
    static Path dir;
    static MutableClock clock = MutableClock.startingNow();
    static Jetons.Running jeton;
    static AdminClients admins;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir, clock, Map.of());
        admins = new AdminClients(jeton);
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static int clientCredentials(String clientId, String secret) {
        return Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials", Http.basic(clientId, secret)).statusCode();
    }

    @Test
    void rotateWhenOverlapGivenThenOldAndNewWorkInsideTheWindowAndOnlyTheNewAfterIt() throws Exception {
        ClientsApi clients = new ClientsApi(admins.client(admins.token("rotator", "jeton:admin:clients")));
        CreatedClient app = clients.createClient(new NewClient().clientId("payments").grantTypes(List.of("client_credentials")));
        String oldSecret = app.getClientSecret();
        ApiResponse<Client> read = clients.getClientWithHttpInfo("payments");

        RotatedSecret rotated = clients.rotateClientSecret("payments", etag(read), new RotateSecret().overlap("10m"));
        String newSecret = rotated.getClientSecret();
        assertThat(Instant.parse(rotated.getPreviousSecretExpiresAt().toInstant().toString())).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(clientCredentials("payments", oldSecret)).isEqualTo(200);
        assertThat(clientCredentials("payments", newSecret)).isEqualTo(200);
        assertThat(clientCredentials("payments", "neither-of-them")).isEqualTo(401);

        clock.advance(Duration.ofMinutes(9));
        assertThat(clientCredentials("payments", oldSecret)).isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));
        assertThat(clientCredentials("payments", oldSecret)).isEqualTo(401);
        assertThat(clientCredentials("payments", newSecret)).isEqualTo(200);
        assertThat(clients.getClient("payments").getPreviousSecretExpiresAt()).isNull();
        JsonNode refused = AuditTrail.of(dir).await("event", "refused", "client_id", "payments", "reason", "client.secret_mismatch");
        assertThat(refused.toString()).doesNotContain(oldSecret);
    }

    @Test
    void rotateWhenNoOverlapThenTheOldSecretStopsAtOnce() throws Exception {
        ClientsApi clients = new ClientsApi(admins.client(admins.token("rotator-2", "jeton:admin:clients")));
        String oldSecret = clients.createClient(new NewClient().clientId("ledger")).getClientSecret();
        String newSecret = clients.rotateClientSecret("ledger", "*", null).getClientSecret();
        assertThat(clientCredentials("ledger", oldSecret)).isEqualTo(401);
        assertThat(clientCredentials("ledger", newSecret)).isEqualTo(200);
    }

    @Test
    void cliRotateSecretWhenOverlapGivenThenBothWorkAndTheChangeIsAuditedAsTheOperator() throws Exception {
        String oldSecret = jeton.wiring().admin().accounts().addClient(new dev.jeton.engine.Accounts.ClientSpec("batch",
                java.util.Set.of(dev.jeton.model.GrantType.CLIENT_CREDENTIALS), java.util.Set.of(), List.of(), List.of(), null, null,
                dev.jeton.model.RefreshPolicy.ROTATING, false)).secret().value();
        InProcessCli.Result result = InProcessCli.run(null, "client", "rotate-secret", "batch", "--overlap", "1h", "--json",
                "--data-dir", dir.toString());
        assertThat(result.code()).as(result.err()).isZero();
        String newSecret = result.json().get("client_secret").asText();
        // The server learns of a change made by another process within recheck-interval; moving the clock makes it look now.
        clock.advance(Duration.ofSeconds(30));
        assertThat(clientCredentials("batch", newSecret)).isEqualTo(200);
        assertThat(clientCredentials("batch", oldSecret)).isEqualTo(200);
        AuditTrail.of(dir).await("event", "admin", "action", "client.rotate_secret", "target", "batch", "dialect", "cli");

        InProcessCli.Result tooLong = InProcessCli.run(null, "client", "rotate-secret", "batch", "--overlap", "90d", "--data-dir", dir.toString());
        assertThat(tooLong.code()).isNotZero();
        assertThat(tooLong.err()).contains("overlap must be between 0s and 30d");
    }
}
