package dev.jeton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.client.admin.ApiClient;
import dev.jeton.client.admin.ApiException;
import dev.jeton.client.admin.ApiResponse;
import dev.jeton.client.admin.api.ApiKeysApi;
import dev.jeton.client.admin.api.ClientsApi;
import dev.jeton.client.admin.api.GroupsApi;
import dev.jeton.client.admin.api.IdentitiesApi;
import dev.jeton.client.admin.api.RulesApi;
import dev.jeton.client.admin.api.SigningKeysApi;
import dev.jeton.client.admin.api.TrustPoliciesApi;
import dev.jeton.client.admin.api.UsersApi;
import dev.jeton.client.admin.model.NewClient;
import dev.jeton.client.admin.model.NewUser;
import dev.jeton.client.admin.model.RotateSecret;
import dev.jeton.client.admin.model.User;
import dev.jeton.client.admin.model.UserPatch;
import dev.jeton.support.AdminClients;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.jeton.admin.AdminApiTest.etag;
import static dev.jeton.support.AdminClients.json;
import static dev.jeton.support.AdminClients.problem;
import static dev.jeton.support.AdminClients.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every error class of the admin API as a client sees it: status, problem type, challenge, and the field at fault. */
class AdminApiErrorsTest {
    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static AdminClients admins;
    static ApiClient ops;
    static String opsToken;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        admins = new AdminClients(jeton);
        opsToken = admins.token("ops", "jeton:admin");
        ops = admins.client(opsToken);
    }

    @AfterAll
    static void stop() { jeton.close(); }

    @Test
    void anyRouteWhenNoTokenThen401WithTheBareBearerChallenge() {
        ApiException e = catchApi(() -> new ClientsApi(admins.client(null)).listClients(null, null));
        assertThat(e.getCode()).isEqualTo(401);
        assertThat(e.getResponseHeaders().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"jeton-admin\"");
        assertThat(problem(e).get("type").asText()).isEqualTo("urn:jeton:problem:unauthenticated");
        AuditTrail.of(dir).await("event", "refused", "dialect", "admin", "reason", "token.missing");
    }

    @Test
    void anyRouteWhenTokenIsNotOursThen401InvalidToken() {
        ApiException e = catchApi(() -> new UsersApi(admins.client("eyJhbGciOiJFUzI1NiJ9.e30.c2ln")).listUsers(null, null));
        assertThat(e.getCode()).isEqualTo(401);
        assertThat(e.getResponseHeaders().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                assertThat(v).startsWith("Bearer realm=\"jeton-admin\", error=\"invalid_token\""));
        assertThat(problem(e).get("type").asText()).isEqualTo("urn:jeton:problem:invalid-token");
        HttpResponse<String> basic = Http.get(jeton.baseUrl() + "/admin/v1/users", Http.basic("ops", "x"));
        assertThat(basic.statusCode()).isEqualTo(401);
    }

    @Test
    void anyRouteWhenTokenIsForAnotherAudienceThen401() {
        String secret = jeton.wiring().admin().accounts().addClient(new dev.jeton.engine.Accounts.ClientSpec("api-gateway",
                java.util.Set.of(dev.jeton.model.GrantType.CLIENT_CREDENTIALS), java.util.Set.of("jeton:admin"), List.of("https://api.example"),
                List.of(), null, null, dev.jeton.model.RefreshPolicy.ROTATING, false)).secret().value();
        String foreign = admins.tokenOf("api-gateway", secret, "jeton:admin");
        JsonNode p = refused(401, () -> new UsersApi(admins.client(foreign)).listUsers(null, null));
        assertThat(p.get("detail").asText()).contains("another audience");
    }

    static Stream<Arguments> readsOfEachKind() {
        return Stream.of(
                Arguments.of("users", (Reader) c -> new UsersApi(c).listUsers(null, null)),
                Arguments.of("groups", (Reader) c -> new GroupsApi(c).listGroups(null, null)),
                Arguments.of("clients", (Reader) c -> new ClientsApi(c).listClients(null, null)),
                Arguments.of("api-keys", (Reader) c -> new ApiKeysApi(c).listApiKeys(null, null, null)),
                Arguments.of("identities", (Reader) c -> new IdentitiesApi(c).listIdentities(null, null)),
                Arguments.of("trust-policies", (Reader) c -> new TrustPoliciesApi(c).listTrustPolicies(null, null)),
                Arguments.of("rules", (Reader) c -> new RulesApi(c).listRules(null, null)),
                Arguments.of("keys", (Reader) c -> new SigningKeysApi(c).listSigningKeys(null, null)),
                Arguments.of("nodes", (Reader) c -> new dev.jeton.client.admin.api.NodesApi(c).listNodes(null, null)),
                Arguments.of("upstreams", (Reader) c -> new dev.jeton.client.admin.api.UpstreamsApi(c).listUpstreams(null, null)));
    }

    interface Reader {
        Object read(ApiClient client) throws ApiException;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readsOfEachKind")
    void readWhenScopeIsOfAnotherKindThen403AndWithItsOwnOrAdminReadThen200(String kind, Reader read) throws Exception {
        String other = kind.equals("users") ? "clients" : "users";
        JsonNode p = refused(403, () -> read.read(admins.client(admins.token("narrow-" + kind, "jeton:admin:" + other))));
        assertThat(p.get("type").asText()).isEqualTo("urn:jeton:problem:insufficient-scope");
        assertThat(p.get("detail").asText()).contains("jeton:admin:" + kind + ":read");
        assertThat(read.read(admins.client(admins.token("own-" + kind, "jeton:admin:" + kind + ":read")))).isNotNull();
        assertThat(read.read(admins.client(admins.token("all-" + kind, "jeton:admin:read")))).isNotNull();
    }

    @Test
    void changeWhenTokenHasOnlyAdminReadThen403() {
        ApiClient reader = admins.client(admins.token("reader", "jeton:admin:read"));
        ApiException e = catchApi(() -> new UsersApi(reader).createUser(new NewUser().name("mallory")));
        assertThat(e.getCode()).isEqualTo(403);
        assertThat(e.getResponseHeaders().firstValue("WWW-Authenticate")).hasValue(
                "Bearer realm=\"jeton-admin\", error=\"insufficient_scope\", scope=\"jeton:admin:users\"");
        assertThat(jeton.wiring().admin().accounts().user("mallory")).isEmpty();
        JsonNode line = AuditTrail.of(dir).await("event", "refused", "dialect", "admin", "subject", "reader", "reason", "scope.insufficient");
        assertThat(line.get("detail").asText()).startsWith("POST /admin/v1/users: ");
    }

    static Stream<Arguments> unknownOfEachKind() {
        return Stream.of(
                Arguments.of("user", (Reader) c -> new UsersApi(c).getUser("nobody")),
                Arguments.of("group", (Reader) c -> new GroupsApi(c).getGroup("nobody")),
                Arguments.of("client", (Reader) c -> new ClientsApi(c).getClient("nobody")),
                Arguments.of("api key", (Reader) c -> new ApiKeysApi(c).getApiKey("nobody")),
                Arguments.of("identity", (Reader) c -> new IdentitiesApi(c).getIdentity("nobody")),
                Arguments.of("trust policy", (Reader) c -> new TrustPoliciesApi(c).getTrustPolicy("nobody")),
                Arguments.of("rule", (Reader) c -> new RulesApi(c).getRule("nobody")),
                Arguments.of("signing key", (Reader) c -> new SigningKeysApi(c).getSigningKey("nobody")),
                Arguments.of("client to rotate", (Reader) c -> new ClientsApi(c).rotateClientSecret("nobody", "*", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownOfEachKind")
    void getWhenUnknownThen404NotFoundProblem(String what, Reader read) {
        JsonNode p = refused(404, () -> read.read(ops));
        assertThat(p.get("type").asText()).isEqualTo("urn:jeton:problem:not-found");
        assertThat(p.get("title").asText()).isEqualTo("Not Found");
    }

    @Test
    void unknownPathUnderTheApiThen404Problem() {
        HttpResponse<String> r = Http.get(jeton.baseUrl() + "/admin/v1/widgets", "Bearer " + opsToken);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void createWhenNameIsTakenThen409Conflict() throws Exception {
        new ClientsApi(ops).createClient(new NewClient().clientId("twice"));
        JsonNode p = refused(409, () -> new ClientsApi(ops).createClient(new NewClient().clientId("twice")));
        assertThat(p.get("type").asText()).isEqualTo("urn:jeton:problem:conflict");
        assertThat(p.get("detail").asText()).contains("twice");
    }

    @Test
    void rotateWhenClientIsPublicThen409() throws Exception {
        new ClientsApi(ops).createClient(new NewClient().clientId("spa")._public(true).redirectUris(List.of("http://127.0.0.1:3000/cb")));
        assertThat(refused(409, () -> new ClientsApi(ops).rotateClientSecret("spa", "*", null)).get("detail").asText()).contains("public");
    }

    static Stream<Arguments> invalidInputs() {
        return Stream.of(
                Arguments.of("unknown grant", "clients", "{\"client_id\":\"x1\",\"grant_types\":[\"magic\"]}", "grant_types"),
                Arguments.of("bad client id", "clients", "{\"client_id\":\"has space\"}", null),
                Arguments.of("missing client id", "clients", "{}", "client_id"),
                Arguments.of("unknown field", "clients", "{\"client_id\":\"x2\",\"scope\":\"read\"}", "scope"),
                Arguments.of("wrong type", "clients", "{\"client_id\":\"x3\",\"scopes\":\"read\"}", "scopes"),
                Arguments.of("bad duration", "clients", "{\"client_id\":\"x4\",\"access_token_ttl\":\"soon\"}", "access_token_ttl"),
                Arguments.of("bad refresh policy", "clients", "{\"client_id\":\"x5\",\"refresh_policy\":\"sometimes\"}", "refresh_policy"),
                Arguments.of("not JSON", "clients", "{\"client_id\":", null),
                Arguments.of("short password", "users", "{\"name\":\"shorty\",\"password\":\"short\"}", null),
                Arguments.of("rule without actions", "rules", "{\"subject\":\"user:a\",\"repository\":\"a/*\",\"actions\":[]}", "actions"),
                Arguments.of("rule bad subject", "rules", "{\"subject\":\"martian:a\",\"repository\":\"a/*\",\"actions\":[\"pull\"]}", null),
                Arguments.of("api key for nobody's expiry", "api-keys", "{\"user\":\"x\",\"expires_in\":\"forever\"}", "expires_in"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidInputs")
    void createWhenInputIsInvalidThen422NamingTheField(String name, String kind, String body, String field) {
        HttpResponse<String> r = post("/admin/v1/" + kind, body, "application/json", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode p = json(r.body());
        assertThat(p.get("type").asText()).isEqualTo("urn:jeton:problem:invalid-input");
        assertThat(p.get("detail").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("at dev.");
        if (field != null) assertThat(p.at("/errors/0/field").asText()).isEqualTo(field);
    }

    @Test
    void createWhenBodyIsNotJsonThen415() {
        HttpResponse<String> r = post("/admin/v1/clients", "client_id=x", "application/x-www-form-urlencoded", null);
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(json(r.body()).get("type").asText()).isEqualTo("urn:jeton:problem:unsupported-media-type");
    }

    @Test
    void listWhenLimitOrCursorIsInvalidThen422() {
        assertThat(refused(422, () -> new UsersApi(ops).listUsers(0, null)).at("/errors/0/field").asText()).isEqualTo("limit");
        assertThat(refused(422, () -> new UsersApi(ops).listUsers(null, "%%%")).at("/errors/0/field").asText()).isEqualTo("cursor");
    }

    @Test
    void changeWhenEtagIsStaleThen412AndNothingChanges() throws Exception {
        UsersApi users = new UsersApi(ops);
        users.createUser(new NewUser().name("stale").password("stale-password"));
        ApiResponse<User> first = users.getUserWithHttpInfo("stale");
        users.updateUser("stale", new UserPatch().disabled(true), etag(first));
        JsonNode p = refused(412, () -> users.updateUser("stale", new UserPatch().disabled(false), etag(first)));
        assertThat(p.get("type").asText()).isEqualTo("urn:jeton:problem:stale-etag");
        assertThat(users.getUser("stale").getDisabled()).isTrue();

        ApiResponse<dev.jeton.client.admin.model.Client> client = new ClientsApi(ops).getClientWithHttpInfo("ops");
        jeton.wiring().admin().changes().rotateClientSecret("ops", java.time.Duration.ofMinutes(5)); // someone at the terminal
        refused(412, () -> new ClientsApi(ops).rotateClientSecret("ops", etag(client), new RotateSecret()));
    }

    @Test
    void changeWhenIfMatchIsMissingThen428() throws Exception {
        new UsersApi(ops).createUser(new NewUser().name("unconditional").password("unconditional-password"));
        JsonNode p = refused(428, () -> new UsersApi(ops).updateUser("unconditional", new UserPatch().disabled(true), null));
        assertThat(p.get("type").asText()).isEqualTo("urn:jeton:problem:if-match-required");
        refused(428, () -> { new ClientsApi(ops).deleteClient("ops", null); return null; });
        assertThat(jeton.wiring().admin().accounts().user("unconditional").orElseThrow().disabled()).isFalse();
    }

    @Test
    void concurrentPatchesWhenBothSendTheSameEtagThenExactlyOneWinsAndTheOtherIs412() throws Exception {
        UsersApi users = new UsersApi(ops);
        users.createUser(new NewUser().name("contested").password("contested-password"));
        String tag = etag(users.getUserWithHttpInfo("contested"));
        int racers = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < racers; i++) {
                // Each admin sets a password of their own: every success moves the tag (the hash is salted), so the rest must see 412.
                String password = "racer-password-" + i;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        users.updateUser("contested", new UserPatch().password(password), tag);
                        return 200;
                    } catch (ApiException e) {
                        return e.getCode();
                    }
                }));
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : outcomes) codes.add(f.get());
            assertThat(codes).containsOnly(200, 412);
            assertThat(codes).filteredOn(c -> c == 200).hasSize(1);
        }
        AuditTrail.of(dir).await("event", "admin", "action", "user.passwd", "target", "contested");
        assertThat(AuditTrail.of(dir).lines().stream().filter(l -> AuditTrail.has(l, "event", "admin", "action", "user.passwd", "target", "contested"))
                .count()).isEqualTo(1);
    }

    @Test
    void refusalsWhenAnsweredThenNoStackTraceAndNoSecretOnTheWire() {
        HttpResponse<String> r = post("/admin/v1/users", "{\"name\":\"leak\",\"password\":\"short\"}", "application/json", null);
        assertThat(r.body()).doesNotContain("short").doesNotContain("Exception");
    }

    private static HttpResponse<String> post(String path, String body, String contentType, String ifMatch) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jeton.baseUrl() + path)).header("Content-Type", contentType)
                .header("Authorization", "Bearer " + opsToken).POST(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) b.header("If-Match", ifMatch);
        return Http.send(b.build());
    }

    private static ApiException catchApi(Callable<?> call) {
        try {
            call.call();
        } catch (ApiException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected an ApiException");
    }
}
