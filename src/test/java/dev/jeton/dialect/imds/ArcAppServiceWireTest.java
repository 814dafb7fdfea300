package dev.jeton.dialect.imds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.config.Setting;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arc's and App Service's endpoints on the IMDS listener, on the wire: the key-file challenge, the
 * header secret, each bad input's status, body in the endpoint's own shape, and audited reason;
 * the per-endpoint identity lists; the node limits shared with IMDS.
 */
class ArcAppServiceWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String ARC = ArcEndpoint.PATH + "?api-version=2019-11-01&resource=https%3A%2F%2Fvault.azure.net";
    private static final String APP = AppServiceEndpoint.PATH + "?api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net";

    @TempDir
    static Path dir;
    static final MutableClock clock = MutableClock.startingNow();
    static Jetons.Running jeton;
    static ManagedIdentity system;
    static ManagedIdentity worker;
    static ManagedIdentity elsewhere;
    static String secret;

    /**
     * Any local process may ask IMDS, which hands out only "worker"; the node's system identity
     * ("vm") goes only to who can read Arc's key files; App Service's secret holders get "worker".
     */
    @BeforeAll
    static void start() throws Exception {
        jeton = Jetons.start(dir, clock, Map.of(Setting.ARC, "true", Setting.APP_SERVICE, "true", Setting.ARC_IDENTITIES, "vm",
                Setting.APP_SERVICE_IDENTITIES, "worker", Setting.IMDS_IDENTITIES, "worker", Setting.IMDS_RATE, "1000",
                Setting.IMDS_CONCURRENCY, "100"));
        var identities = jeton.wiring().admin().identities();
        system = identities.add("vm", TENANT, null, "test-node");
        worker = identities.add("worker", TENANT, null, null);
        identities.assign("worker", "test-node");
        elsewhere = identities.add("elsewhere", TENANT, null, null);
        identities.assign("elsewhere", "other-node");
        secret = Files.readString(dir.resolve("app-service.secret"));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static HttpResponse<String> get(String pathAndQuery, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jeton.imdsUrl() + pathAndQuery));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return Http.send(b.build());
    }

    /** The key file a challenge names. */
    private static Path challenge(String pathAndQuery) {
        HttpResponse<String> res = get(pathAndQuery, "Metadata", "true");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(401);
        String header = res.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(header).startsWith("Basic realm=");
        return Path.of(header.substring("Basic realm=".length()));
    }

    private static String keyOf(Path file) throws Exception { return Files.readString(file); }

    @Test
    void arcWhenChallengedThenAFreshOwnerOnlyKeyFileWhoseContentBuysOneToken() throws Exception {
        HttpResponse<String> first = get(ARC, "Metadata", "true");
        assertThat(first.statusCode()).isEqualTo(401);
        assertThat(first.body()).isEqualTo("{\"error\":\"unauthorized_client\",\"error_description\":"
                + "\"Send the content of the key file named in WWW-Authenticate as Authorization: Basic\"}");
        String header = first.headers().firstValue("WWW-Authenticate").orElseThrow();
        // MSAL Java splits on '=' and wants two parts; msal-node wants exactly /var/opt/azcmagent/tokens/<name>.key
        assertThat(header.split("=")).hasSize(2);
        assertThat(header).matches("Basic realm=/var/opt/azcmagent/tokens/jeton-[0-9a-f]{32}\\.key");
        Path file = Path.of(header.substring("Basic realm=".length()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(keyOf(file)).matches("[0-9a-f]{64}");

        HttpResponse<String> res = get(ARC, "Metadata", "true", "Authorization", "Basic " + keyOf(file));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("resource").asText()).isEqualTo("https://vault.azure.net");
        assertThat(body.get("client_id").asText()).isEqualTo(system.clientId());
        assertThat(body.get("expires_on").asText()).matches("\\d+");
        assertThat(file).as("a used key file is deleted").doesNotExist();
    }

    @Test
    void appServiceWhenSecretMatchesThenItsFiveFieldsForTheAllowedIdentity() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("app-service.secret")))).isEqualTo("rw-------");
        HttpResponse<String> res = get(APP + "&principal_id=" + worker.objectId(), "X-IDENTITY-HEADER", secret);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(res.body());
        List<String> keys = new ArrayList<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("access_token", "expires_on", "resource", "token_type", "client_id");
        assertThat(body.get("expires_on").asText()).isEqualTo(Long.toString(clock.instant().plus(Duration.ofHours(1)).getEpochSecond()));
        assertThat(body.get("client_id").asText()).isEqualTo(worker.clientId());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    }

    /** Arc rows: name, query, Metadata header, how to authenticate, status, error, description, audited reason (null: none). */
    static Stream<Arguments> arcRows() {
        return Stream.of(
                Arguments.of("no Metadata header", ARC, null, "none", 400, "invalid_request", "Required metadata header not specified", null),
                Arguments.of("IMDS's api-version", ArcEndpoint.PATH + "?api-version=2018-02-01&resource=x", "true", "none", 400,
                        "invalid_request", "Invalid api-version 2018-02-01", "invalid_request.api-version"),
                Arguments.of("no resource", ArcEndpoint.PATH + "?api-version=2019-11-01", "true", "none", 400, "invalid_request",
                        "Required audience parameter not specified", "invalid_request.resource"),
                Arguments.of("two selectors", ARC + "&client_id=a&object_id=b", "true", "none", 400, "invalid_request",
                        "Only one of client_id, object_id and msi_res_id may be given", "invalid_request"),
                Arguments.of("wrong secret", ARC, "true", "wrong", 401, "unauthorized_client", "Invalid key file secret", "arc.unknown_secret"),
                Arguments.of("reused key file", ARC, "true", "reused", 401, "unauthorized_client", "Key file secret already used",
                        "arc.reused_secret"),
                Arguments.of("expired key file", ARC, "true", "expired", 401, "unauthorized_client", "Key file secret expired",
                        "arc.expired_secret"),
                Arguments.of("Bearer instead of Basic", ARC, "true", "bearer", 401, "unauthorized_client",
                        "Authorization must be Basic with the key file's content", "arc.malformed_authorization"),
                Arguments.of("identity of another node", ARC + "&client_id=ELSEWHERE", "true", "fresh", 400, "invalid_request",
                        "Identity not found", "identity.not_found"),
                Arguments.of("identity not given to Arc", ARC + "&client_id=WORKER", "true", "fresh", 400, "invalid_request",
                        "Identity not found", "identity.not_allowed"),
                Arguments.of("through a proxy", ARC, "true", "proxied", 400, "invalid_request",
                        "Request came through a proxy (X-Forwarded-For); Arc answers the node only", "arc.proxied"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arcRows")
    void arcWhenInvalidThenImdsShapeAndAuditedReason(String name, String query, String metadata, String auth, int status, String error,
                                                    String description, String reason) throws Exception {
        String path = query.replace("ELSEWHERE", elsewhere.clientId()).replace("WORKER", worker.clientId());
        String agent = "row-" + UUID.randomUUID();
        List<String> headers = new ArrayList<>(List.of("User-Agent", agent));
        if (metadata != null) headers.addAll(List.of("Metadata", metadata));
        Path used = null;
        switch (auth) {
            case "none" -> { }
            case "wrong" -> headers.addAll(List.of("Authorization", "Basic " + "0".repeat(64)));
            case "bearer" -> headers.addAll(List.of("Authorization", "Bearer " + keyOf(challenge(ARC))));
            case "proxied" -> headers.addAll(List.of("X-Forwarded-For", "10.0.0.1"));
            case "fresh" -> headers.addAll(List.of("Authorization", "Basic " + keyOf(challenge(path))));
            case "reused" -> {
                Path file = challenge(ARC);
                String key = keyOf(file);
                assertThat(get(ARC, "Metadata", "true", "Authorization", "Basic " + key).statusCode()).isEqualTo(200);
                headers.addAll(List.of("Authorization", "Basic " + key));
            }
            case "expired" -> {
                used = challenge(ARC);
                headers.addAll(List.of("Authorization", "Basic " + keyOf(used)));
                clock.advance(Duration.ofSeconds(31));
            }
            default -> throw new IllegalArgumentException(auth);
        }
        HttpResponse<String> res = get(path, headers.toArray(String[]::new));
        assertThat(res.statusCode()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(res.body()).isEqualTo("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
        if (used != null) assertThat(used).as("an expired key file is deleted").doesNotExist();
        if (reason != null) {
            AuditTrail.of(dir).await("event", "refused", "user_agent", agent, "reason", reason);
        } else {
            assertThat(AuditTrail.of(dir).rawText()).doesNotContain(agent);
        }
    }

    /** App Service rows: name, query, X-IDENTITY-HEADER (SECRET: the right one; null: none), status, message, audited reason. */
    static Stream<Arguments> appServiceRows() {
        return Stream.of(
                Arguments.of("no secret header", APP, null, 401, "Required header X-IDENTITY-HEADER not specified", "appservice.missing_secret"),
                Arguments.of("wrong secret", APP, "SECRET-but-not-quite", 401, "Invalid X-IDENTITY-HEADER", "appservice.wrong_secret"),
                Arguments.of("2017 api-version", AppServiceEndpoint.PATH + "?api-version=2017-09-01&resource=x", "SECRET", 400,
                        "Invalid api-version 2017-09-01", "invalid_request.api-version"),
                Arguments.of("no api-version", AppServiceEndpoint.PATH + "?resource=x", "SECRET", 400,
                        "Required api-version parameter not specified", "invalid_request.api-version"),
                Arguments.of("no resource", AppServiceEndpoint.PATH + "?api-version=2019-08-01", "SECRET", 400,
                        "Required audience parameter not specified", "invalid_request.resource"),
                Arguments.of("two selectors", APP + "&client_id=a&principal_id=b", "SECRET", 400,
                        "Only one of client_id, object_id, principal_id and mi_res_id may be given", "invalid_request"),
                Arguments.of("identity of another node", APP + "&client_id=ELSEWHERE", "SECRET", 400, "Identity not found", "identity.not_found"),
                Arguments.of("identity not given to App Service", APP, "SECRET", 400, "Identity not found", "identity.not_allowed"),
                Arguments.of("through a proxy", APP + "&PROXIED", "SECRET", 400,
                        "Request came through a proxy (X-Forwarded-For); this endpoint answers the node only", "appservice.proxied"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appServiceRows")
    void appServiceWhenInvalidThenItsShapeAndAuditedReason(String name, String query, String header, int status, String message,
                                                          String reason) throws Exception {
        String agent = "row-" + UUID.randomUUID();
        List<String> headers = new ArrayList<>(List.of("User-Agent", agent));
        if (header != null) headers.addAll(List.of("X-IDENTITY-HEADER", header.replace("SECRET", secret)));
        if (query.endsWith("&PROXIED")) headers.addAll(List.of("X-Forwarded-For", "10.0.0.1"));
        String path = query.replace("&PROXIED", "").replace("ELSEWHERE", elsewhere.clientId());
        HttpResponse<String> res = get(path, headers.toArray(String[]::new));
        assertThat(res.statusCode()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.size()).isEqualTo(3);
        assertThat(body.get("statusCode").asInt()).isEqualTo(status);
        assertThat(body.get("message").asText()).isEqualTo(message);
        assertThat(res.headers().firstValue("X-CORRELATION-ID")).hasValue(body.get("correlationId").asText());
        AuditTrail.of(dir).await("event", "refused", "user_agent", agent, "reason", reason);
        assertThat(AuditTrail.of(dir).rawText()).doesNotContain(secret);
    }

    @Test
    void limitsWhenImdsSpentTheNodesBudgetThenArcAndAppServiceGet429InTheirShapes(@TempDir Path other) throws Exception {
        Path keyDir = other.resolve("made-here").resolve("tokens");
        try (Jetons.Running small = Jetons.start(other, MutableClock.startingNow(), Map.of(Setting.ARC, "true", Setting.APP_SERVICE, "true",
                Setting.ARC_KEY_DIR, keyDir.toString(), Setting.IMDS_RATE, "2"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyDir))).as("made owner-only").isEqualTo("rwx------");
            String appSecret = Files.readString(other.resolve("app-service.secret"));
            for (int i = 0; i < 2; i++) {
                Http.send(HttpRequest.newBuilder(URI.create(small.imdsUrl() + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x"))
                        .header("Metadata", "true").build());
            }
            HttpResponse<String> arc = Http.send(HttpRequest.newBuilder(URI.create(small.imdsUrl() + ARC)).header("Metadata", "true").build());
            assertThat(arc.statusCode()).isEqualTo(429);
            assertThat(arc.body()).isEqualTo("{\"error\":\"too_many_requests\",\"error_description\":\"Too many requests\"}");
            HttpResponse<String> app = Http.send(HttpRequest.newBuilder(URI.create(small.imdsUrl() + APP)).header("X-IDENTITY-HEADER", appSecret).build());
            assertThat(app.statusCode()).isEqualTo(429);
            assertThat(JSON.readTree(app.body()).get("statusCode").asInt()).isEqualTo(429);
            assertThat(app.headers().firstValue("Retry-After")).isPresent();
            AuditTrail.of(other).await("event", "refused", "dialect", "appservice", "reason", "appservice.rate_limited");
            AuditTrail.of(other).await("event", "refused", "dialect", "arc", "reason", "arc.rate_limited");
        }
    }

    @Test
    void imdsWhenIdentityNotGivenToImdsThenIdentityNotFoundWhileArcHandsItOut() throws Exception {
        String imds = "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net";
        String agent = "imds-" + UUID.randomUUID();
        HttpResponse<String> refused = get(imds, "Metadata", "true", "User-Agent", agent);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).isEqualTo("{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}");
        AuditTrail.of(dir).await("event", "refused", "dialect", "imds", "user_agent", agent, "reason", "identity.not_allowed");
        assertThat(get(imds + "&client_id=" + worker.clientId(), "Metadata", "true").statusCode()).isEqualTo(200);
        HttpResponse<String> arc = get(ARC, "Metadata", "true", "Authorization", "Basic " + keyOf(challenge(ARC)));
        assertThat(JSON.readTree(arc.body()).get("client_id").asText()).isEqualTo(system.clientId());
    }

    @Test
    void otherPathWhenAskedThenStillImdsNotFound() {
        HttpResponse<String> res = get("/msi/other", "X-IDENTITY-HEADER", secret);
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(res.body()).isEqualTo("{\"error\":\"not_found\",\"error_description\":\"no such IMDS endpoint\"}");
    }
}
