package dev.jeton.dialect.runai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run:ai's {@code TokenRequest} names a client by {@code clientID} and (in 2.18) carries no
 * secret: password and refresh go through public clients, over raw HTTP. A refresh token is
 * bound to the client it was issued to (RFC 6749 6), and a refused presentation does not use it up.
 */
class RunaiPublicClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "/api/v1/token";
    private static final String REFRESH = "/v1/k8s/auth/oauth/tokens/refresh";
    private static final String CONFIDENTIAL = "this client is confidential: its secret is required";
    private static final String WRONG_CLIENT = "refresh token was issued to another client";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static AuditTrail trail;
    static String trainerSecret;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        trail = AuditTrail.of(dir);
        var accounts = jeton.wiring().admin().accounts();
        accounts.addUser("ivan", new Secret("ivan-password"), List.of());
        // Registered with the README's command, as an operator would.
        InProcessCli.Result added = InProcessCli.run(null, "client", "add", "runai-cli", "--public", "--grant", "password,refresh_token",
                "--data-dir", dir.toString());
        assertThat(added.code()).as(added.err()).isZero();
        accounts.addClient(new ClientSpec("other-cli", Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN), Set.of(), List.of(), List.of(),
                null, null, RefreshPolicy.ROTATING, true));
        accounts.addClient(new ClientSpec("browser-only-cli", Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN), Set.of(),
                List.of(), List.of("http://127.0.0.1:9/cb"), null, null, RefreshPolicy.ROTATING, true));
        trainerSecret = accounts.addClient(new ClientSpec("trainer-cli", Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN), Set.of(),
                List.of(), List.of(), null, null, RefreshPolicy.ROTATING, false)).secret().value();
    }

    @AfterAll
    static void stop() { jeton.close(); }

    /** Password logins naming (or not naming) a client: status, message, and the reason the audit log gives. */
    static Stream<Arguments> logins() {
        return Stream.of(
                Arguments.of("a public client", "runai-cli", null, 200, "runai-cli", null),
                Arguments.of("the built-in client by name", "runai", null, 200, "runai", null),
                Arguments.of("no client: the built-in one", null, null, 200, "runai", null),
                Arguments.of("an unknown client", "ghost-cli", null, 401, "unknown client", "client.unknown"),
                Arguments.of("a confidential client without its secret", "trainer-cli", null, 401, CONFIDENTIAL, "client.secret_missing"),
                Arguments.of("a confidential client with its secret", "trainer-cli", "SECRET", 200, "trainer-cli", null),
                Arguments.of("a confidential client with a wrong secret", "trainer-cli", "not-the-secret", 401, "client authentication failed",
                        "client.secret_mismatch"),
                Arguments.of("a public client without the password grant", "browser-only-cli", null, 403,
                        "this client may not use the password grant", "client.grant_not_allowed"));
    }

    /** @param outcome the client_id of the token for a 200, else the error message */
    @ParameterizedTest(name = "{0}")
    @MethodSource("logins")
    void passwordWhenClientNamedThenAsThatClientOrItsRefusal(String name, String clientId, String secret, int status, String outcome,
                                                              String reason) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("grantType", "password").put("username", "ivan").put("password", "ivan-password");
        if (clientId != null) body.put("clientID", clientId);
        if (secret != null) body.put("clientSecret", secret.equals("SECRET") ? trainerSecret : secret);
        HttpResponse<String> res = post(TOKEN, body.toString());
        assertOutcome(res, status, outcome);
        if (reason != null) trail.await("event", "refused", "dialect", "runai", "grant", "password", "client_id", clientId, "reason", reason);
    }

    /**
     * A fresh refresh token of {@code owner} presented at {@code path} naming {@code presenter}
     * (null: no clientID; the refresh endpoint never names one).
     */
    static Stream<Arguments> refreshes() {
        return Stream.of(
                Arguments.of("public client's token, named by it", "runai-cli", TOKEN, "runai-cli", null, 200, "runai-cli", null),
                Arguments.of("public client's token, no clientID", "runai-cli", TOKEN, null, null, 200, "runai-cli", null),
                Arguments.of("public client's token at the refresh endpoint", "runai-cli", REFRESH, null, null, 200, "runai-cli", null),
                Arguments.of("built-in client's token at the refresh endpoint", null, REFRESH, null, null, 200, "runai", null),
                Arguments.of("public client's token, named by another public client", "runai-cli", TOKEN, "other-cli", null, 401,
                        WRONG_CLIENT, "refresh.wrong_client"),
                Arguments.of("public client's token, named by the built-in client", "runai-cli", TOKEN, "runai", null, 401,
                        WRONG_CLIENT, "refresh.wrong_client"),
                Arguments.of("public client's token, named by an unknown client", "runai-cli", TOKEN, "ghost-cli", null, 401,
                        "unknown client", "client.unknown"),
                Arguments.of("confidential client's token, with its secret", "trainer-cli", TOKEN, "trainer-cli", "SECRET", 200,
                        "trainer-cli", null),
                Arguments.of("confidential client's token, named without its secret", "trainer-cli", TOKEN, "trainer-cli", null, 401,
                        CONFIDENTIAL, "client.secret_missing"),
                Arguments.of("confidential client's token, no clientID", "trainer-cli", TOKEN, null, null, 401, CONFIDENTIAL,
                        "client.secret_missing"),
                Arguments.of("confidential client's token at the refresh endpoint", "trainer-cli", REFRESH, null, null, 401, CONFIDENTIAL,
                        "client.secret_missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refreshes")
    void refreshWhenPresentedThenBoundToTheClientItWasIssuedTo(String name, String owner, String path, String presenter, String secret,
                                                              int status, String outcome, String reason) throws Exception {
        String token = login(owner);
        HttpResponse<String> res = path.equals(REFRESH)
                ? post(REFRESH + "?refresh_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), "{}")
                : post(TOKEN, refreshBody(token, presenter, secret == null ? null : trainerSecret).toString());
        assertOutcome(res, status, outcome);
        if (status == 200) {
            assertThat(JSON.readTree(res.body()).get("refreshToken").asText()).isNotEqualTo(token);
            return;
        }
        trail.await("event", "refused", "dialect", "runai", "grant", "refresh_token", "client_id", presenter != null ? presenter : owner,
                "reason", reason);
        // The refusal did not use the token up: its own client still can.
        HttpResponse<String> own = post(TOKEN, refreshBody(token, owner, "trainer-cli".equals(owner) ? trainerSecret : null).toString());
        assertOutcome(own, 200, owner == null ? "runai" : owner);
    }

    private static String login(String clientId) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("grantType", "password").put("username", "ivan").put("password", "ivan-password");
        if (clientId != null) body.put("clientID", clientId);
        if ("trainer-cli".equals(clientId)) body.put("clientSecret", trainerSecret);
        HttpResponse<String> res = post(TOKEN, body.toString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body()).get("refreshToken").asText();
    }

    private static ObjectNode refreshBody(String token, String clientId, String secret) {
        ObjectNode body = JSON.createObjectNode().put("grantType", "refresh_token").put("refreshToken", token);
        if (clientId != null) body.put("clientID", clientId);
        if (secret != null) body.put("clientSecret", secret);
        return body;
    }

    private static void assertOutcome(HttpResponse<String> res, int status, String outcome) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(res.body());
        if (status == 200) {
            String jwt = body.get("accessToken").asText();
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
            assertThat(claims.get("client_id").asText()).isEqualTo(outcome);
            assertThat(body.get("idToken").asText()).isNotBlank();
        } else {
            assertThat(body.get("code").asInt()).isEqualTo(status);
            assertThat(body.get("message").asText()).isEqualTo(outcome);
            assertThat(res.body()).doesNotContain(trainerSecret);
        }
    }

    private static HttpResponse<String> post(String path, String json) {
        return Http.send(HttpRequest.newBuilder(URI.create(jeton.baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
