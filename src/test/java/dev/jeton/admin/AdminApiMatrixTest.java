package dev.jeton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.client.admin.ApiClient;
import dev.jeton.client.admin.ApiException;
import dev.jeton.client.admin.api.ApiKeysApi;
import dev.jeton.client.admin.api.AuditApi;
import dev.jeton.client.admin.api.ClientsApi;
import dev.jeton.client.admin.api.GroupsApi;
import dev.jeton.client.admin.api.IdentitiesApi;
import dev.jeton.client.admin.api.NodesApi;
import dev.jeton.client.admin.api.RulesApi;
import dev.jeton.client.admin.api.SigningKeysApi;
import dev.jeton.client.admin.api.TokensApi;
import dev.jeton.client.admin.api.TrustPoliciesApi;
import dev.jeton.client.admin.api.UpstreamsApi;
import dev.jeton.client.admin.api.UsersApi;
import dev.jeton.client.admin.model.ClientPatch;
import dev.jeton.client.admin.model.NewApiKey;
import dev.jeton.client.admin.model.NewClient;
import dev.jeton.client.admin.model.NewIdentity;
import dev.jeton.client.admin.model.NewNode;
import dev.jeton.client.admin.model.NewRule;
import dev.jeton.client.admin.model.NewTrustPolicy;
import dev.jeton.client.admin.model.NewUpstream;
import dev.jeton.client.admin.model.NewUser;
import dev.jeton.client.admin.model.NodePatch;
import dev.jeton.client.admin.model.RevokeToken;
import dev.jeton.client.admin.model.RotateKeys;
import dev.jeton.client.admin.model.RotateSecret;
import dev.jeton.client.admin.model.UserPatch;
import dev.jeton.support.AdminClients;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static dev.jeton.support.AdminClients.json;
import static dev.jeton.support.AdminClients.problem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the admin API against every error a client can meet, through the generated
 * Java client over real HTTP. Each operation is written so that, once authorised, it fails in a
 * known way that changes nothing (a stale If-Match: 412; invalid input: 422) or only reads; so
 * the same row proves 401 without a token, 403 without the scope, and that the kind's own narrow
 * scope is enough (the call got past authorisation to its own check).
 *
 * <pre>
 * kind            401 403 404 409 412 422 pages
 * users            x   x   x   x   x   x   x
 * groups           x   x   x   -   -   -   x      (no changes: a group exists while a user or rule names it)
 * clients          x   x   x   x   x   x   x      (incl. PATCH and secret rotation)
 * api-keys         x   x   x   -   x   x   x      (no natural key: no duplicate)
 * identities       x   x   x   x   x   x   x      (incl. assign, unassign)
 * trust-policies   x   x   x   x   x   x   x
 * nodes            x   x   x   x   x   x   x
 * upstreams        x   x   x   x   x   x   x
 * rules            x   x   x   -   x   x   x      (a second identical rule is allowed)
 * keys             x   x   x   x   x   x   x      (409: retiring a key that is not retiring)
 * tokens           x   x   x   -   -   x   -
 * audit            x   x   -   -   -   x   x
 * </pre>
 */
class AdminApiMatrixTest {
    private static final String STALE = "\"stale-etag-from-long-ago\"";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static AdminClients admins;
    static ApiClient ops;
    static final Map<String, ApiClient> callers = new ConcurrentHashMap<>();
    static String apiKeyId;
    static String ruleId;
    static String activeKid;

    @BeforeAll
    static void start() throws Exception {
        jeton = Jetons.start(dir);
        admins = new AdminClients(jeton);
        ops = callerWith("jeton:admin");
        new UsersApi(ops).createUser(new NewUser().name("fx-user").password("fx-user-password").groups(List.of("fx-group")));
        new UsersApi(ops).createUser(new NewUser().name("fx-user-2").password("fx-user-password").groups(List.of("fx-group-2")));
        new ClientsApi(ops).createClient(new NewClient().clientId("fx-client").grantTypes(List.of("client_credentials")));
        new ClientsApi(ops).createClient(new NewClient().clientId("fx-public")._public(true).redirectUris(List.of("http://127.0.0.1:3000/cb")));
        apiKeyId = new ApiKeysApi(ops).createApiKey(new NewApiKey().user("fx-user").name("one")).getId();
        new ApiKeysApi(ops).createApiKey(new NewApiKey().user("fx-user").name("two"));
        new IdentitiesApi(ops).createIdentity(new NewIdentity().name("fx-identity"));
        new IdentitiesApi(ops).createIdentity(new NewIdentity().name("fx-identity-2"));
        for (String name : List.of("fx-trust", "fx-trust-2")) {
            new TrustPoliciesApi(ops).createTrustPolicy(new NewTrustPolicy().name(name).issuer("https://token.actions.githubusercontent.com")
                    .audience("jeton").subject("repo:acme/app:*").as("identity:fx-identity"));
        }
        new NodesApi(ops).createNode(new NewNode().name("fx-node"));
        new NodesApi(ops).createNode(new NewNode().name("fx-node-2"));
        for (String name : List.of("fx-upstream", "fx-upstream-2")) {
            new UpstreamsApi(ops).createUpstream(new NewUpstream().name(name).issuer("https://id.example").clientId("jeton").clientSecret("s3cret"));
        }
        ruleId = new RulesApi(ops).createRule(new NewRule().subject("group:fx-group").repository("fx/*").actions(List.of("pull"))).getId();
        new RulesApi(ops).createRule(new NewRule().subject("group:fx-group-2").repository("fx2/*").actions(List.of("pull")));
        activeKid = new SigningKeysApi(ops).listSigningKeys(null, null).getItems().stream().filter(k -> k.getState().equals("active"))
                .findFirst().orElseThrow().getKid();
    }

    @AfterAll
    static void stop() { jeton.close(); }

    /** The generated client with a token of a client allowed exactly {@code scope} (one client per scope). */
    static ApiClient callerWith(String scope) {
        return callers.computeIfAbsent(scope, s -> admins.client(admins.token("as-" + s.replace(':', '-'), s)));
    }

    /** A call as {@code client}; {@code ifMatch} is what changes of an existing resource send (null: no If-Match). */
    interface Call {
        Object call(ApiClient client, String ifMatch) throws ApiException;
    }

    /** One operation: its kind, whether it changes, and how it answers once authorised (200 read, or a refusal that changes nothing). */
    record Op(String name, String kind, boolean changes, int authorised, Call call) {
        @Override
        public String toString() { return name; }
    }

    static List<Op> operations() {
        return List.of(
                new Op("list users", "users", false, 200, (c, t) -> new UsersApi(c).listUsers(null, null)),
                new Op("get user", "users", false, 200, (c, t) -> new UsersApi(c).getUser("fx-user")),
                new Op("create user", "users", true, 422, (c, t) -> new UsersApi(c).createUser(new NewUser().name("bad name!"))),
                new Op("patch user", "users", true, 412, (c, t) -> new UsersApi(c).updateUser("fx-user", new UserPatch().groups(List.of()), t)),
                new Op("list groups", "groups", false, 200, (c, t) -> new GroupsApi(c).listGroups(null, null)),
                new Op("get group", "groups", false, 200, (c, t) -> new GroupsApi(c).getGroup("fx-group")),
                new Op("list clients", "clients", false, 200, (c, t) -> new ClientsApi(c).listClients(null, null)),
                new Op("get client", "clients", false, 200, (c, t) -> new ClientsApi(c).getClient("fx-client")),
                new Op("create client", "clients", true, 422, (c, t) -> new ClientsApi(c).createClient(new NewClient().clientId("x").grantTypes(List.of("magic")))),
                new Op("patch client", "clients", true, 412, (c, t) -> new ClientsApi(c).updateClient("fx-client", new ClientPatch().scopes(List.of()), t)),
                new Op("rotate client secret", "clients", true, 412, (c, t) -> new ClientsApi(c).rotateClientSecret("fx-client", t, new RotateSecret())),
                new Op("delete client", "clients", true, 412, (c, t) -> { new ClientsApi(c).deleteClient("fx-client", t); return null; }),
                new Op("list api keys", "api-keys", false, 200, (c, t) -> new ApiKeysApi(c).listApiKeys(null, null, null)),
                new Op("get api key", "api-keys", false, 200, (c, t) -> new ApiKeysApi(c).getApiKey(apiKeyId)),
                new Op("create api key", "api-keys", true, 422, (c, t) -> new ApiKeysApi(c).createApiKey(new NewApiKey().user("fx-user").expiresIn("forever"))),
                new Op("revoke api key", "api-keys", true, 412, (c, t) -> { new ApiKeysApi(c).deleteApiKey(apiKeyId, t); return null; }),
                new Op("list identities", "identities", false, 200, (c, t) -> new IdentitiesApi(c).listIdentities(null, null)),
                new Op("get identity", "identities", false, 200, (c, t) -> new IdentitiesApi(c).getIdentity("fx-identity")),
                new Op("create identity", "identities", true, 422, (c, t) -> new IdentitiesApi(c).createIdentity(new NewIdentity())),
                new Op("assign identity", "identities", true, 412, (c, t) -> new IdentitiesApi(c).assignIdentity("fx-identity", "fx-node", t)),
                new Op("unassign identity", "identities", true, 412, (c, t) -> new IdentitiesApi(c).unassignIdentity("fx-identity", "fx-node", t)),
                new Op("delete identity", "identities", true, 412, (c, t) -> { new IdentitiesApi(c).deleteIdentity("fx-identity", t); return null; }),
                new Op("list trust policies", "trust-policies", false, 200, (c, t) -> new TrustPoliciesApi(c).listTrustPolicies(null, null)),
                new Op("get trust policy", "trust-policies", false, 200, (c, t) -> new TrustPoliciesApi(c).getTrustPolicy("fx-trust")),
                new Op("create trust policy", "trust-policies", true, 422, (c, t) -> new TrustPoliciesApi(c).createTrustPolicy(new NewTrustPolicy().name("x"))),
                new Op("delete trust policy", "trust-policies", true, 412, (c, t) -> { new TrustPoliciesApi(c).deleteTrustPolicy("fx-trust", t); return null; }),
                new Op("list nodes", "nodes", false, 200, (c, t) -> new NodesApi(c).listNodes(null, null)),
                new Op("get node", "nodes", false, 200, (c, t) -> new NodesApi(c).getNode("fx-node")),
                new Op("create node", "nodes", true, 422, (c, t) -> new NodesApi(c).createNode(new NewNode().name("bad name!"))),
                new Op("patch node", "nodes", true, 412, (c, t) -> new NodesApi(c).updateNode("fx-node", new NodePatch().disabled(true), t)),
                new Op("delete node", "nodes", true, 412, (c, t) -> { new NodesApi(c).deleteNode("fx-node", t); return null; }),
                new Op("list upstreams", "upstreams", false, 200, (c, t) -> new UpstreamsApi(c).listUpstreams(null, null)),
                new Op("get upstream", "upstreams", false, 200, (c, t) -> new UpstreamsApi(c).getUpstream("fx-upstream")),
                new Op("create upstream", "upstreams", true, 422, (c, t) -> new UpstreamsApi(c).createUpstream(new NewUpstream().name("x").issuer("https://id.example").clientId("j"))),
                new Op("delete upstream", "upstreams", true, 412, (c, t) -> { new UpstreamsApi(c).deleteUpstream("fx-upstream", t); return null; }),
                new Op("list rules", "rules", false, 200, (c, t) -> new RulesApi(c).listRules(null, null)),
                new Op("get rule", "rules", false, 200, (c, t) -> new RulesApi(c).getRule(ruleId)),
                new Op("create rule", "rules", true, 422, (c, t) -> new RulesApi(c).createRule(new NewRule().subject("user:a").repository("a/*").actions(List.of()))),
                new Op("delete rule", "rules", true, 412, (c, t) -> { new RulesApi(c).deleteRule(ruleId, t); return null; }),
                new Op("list signing keys", "keys", false, 200, (c, t) -> new SigningKeysApi(c).listSigningKeys(null, null)),
                new Op("get signing key", "keys", false, 200, (c, t) -> new SigningKeysApi(c).getSigningKey(activeKid)),
                new Op("rotate signing keys", "keys", true, 422, (c, t) -> new SigningKeysApi(c).rotateSigningKeys(new RotateKeys().algorithm("HS256"))),
                new Op("retire signing key", "keys", true, 412, (c, t) -> new SigningKeysApi(c).retireSigningKey(activeKid, t)),
                new Op("revoke token", "tokens", true, 422, (c, t) -> new TokensApi(c).revokeToken(new RevokeToken())),
                new Op("revoke refresh family", "tokens", true, 404, (c, t) -> new TokensApi(c).revokeRefreshFamily("no-such-family")),
                new Op("search audit", "audit", false, 422, (c, t) -> new AuditApi(c).searchAudit(null, null, null, null, null, null, null, 0, null)));
    }

    private static final Map<Integer, String> PROBLEM_TYPES = Map.of(401, "unauthenticated", 403, "insufficient-scope", 404, "not-found",
            409, "conflict", 412, "stale-etag", 422, "invalid-input");

    /** The status of the call, and its problem's type checked against the status. */
    private static int status(Call call, ApiClient client) {
        try {
            call.call(client, STALE);
            return 200;
        } catch (ApiException e) {
            JsonNode p = problem(e);
            assertThat(p.get("type").asText()).as(e.getResponseBody()).isEqualTo("urn:jeton:problem:" + PROBLEM_TYPES.get(e.getCode()));
            assertThat(p.get("detail").asText()).isNotBlank().doesNotContain("Exception");
            return e.getCode();
        }
    }

    private static ApiException refusal(Call call, ApiClient client) {
        try {
            call.call(client, STALE);
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void operationWhenNoTokenThen401WithTheBearerChallenge(Op op) {
        ApiException e = refusal(op.call(), admins.client(null));
        assertThat(e.getCode()).isEqualTo(401);
        assertThat(problem(e).get("type").asText()).isEqualTo("urn:jeton:problem:unauthenticated");
        assertThat(e.getResponseHeaders().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"jeton-admin\"");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void operationWhenTokenIsNotOursThen401InvalidToken(Op op) {
        ApiException e = refusal(op.call(), admins.client("eyJhbGciOiJFUzI1NiJ9.e30.c2ln"));
        assertThat(e.getCode()).isEqualTo(401);
        assertThat(problem(e).get("type").asText()).isEqualTo("urn:jeton:problem:invalid-token");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void operationWhenScopeIsOfAnotherKindThen403NamingTheScopeItNeeds(Op op) {
        String other = op.kind().equals("users") ? "clients" : "users";
        String needed = "jeton:admin:" + op.kind() + (op.changes() ? "" : ":read");
        ApiException e = refusal(op.call(), callerWith("jeton:admin:" + other));
        assertThat(e.getCode()).as(e.getResponseBody()).isEqualTo(403);
        assertThat(problem(e).get("type").asText()).isEqualTo("urn:jeton:problem:insufficient-scope");
        assertThat(e.getResponseHeaders().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"jeton-admin\", error=\"insufficient_scope\", scope=\"" + needed + "\"");
    }

    static Stream<Op> changes() { return operations().stream().filter(Op::changes); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void changeWhenOnlyReadScopesThen403AndTheRefusalIsAudited(Op op) {
        for (String scope : List.of("jeton:admin:read", "jeton:admin:" + op.kind() + ":read")) {
            ApiException e = refusal(op.call(), callerWith(scope));
            assertThat(e.getCode()).as(scope + ": " + e.getResponseBody()).isEqualTo(403);
        }
        AuditTrail.of(dir).await("event", "refused", "dialect", "admin", "reason", "scope.insufficient",
                "subject", "as-jeton-admin-" + op.kind() + "-read");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void operationWhenTheKindsOwnNarrowScopeOrAdminThenPastAuthorisationToItsOwnAnswer(Op op) {
        String narrow = "jeton:admin:" + op.kind() + (op.changes() ? "" : ":read");
        assertThat(status(op.call(), callerWith(narrow))).as(narrow).isEqualTo(op.authorised());
        assertThat(status(op.call(), callerWith("jeton:admin:" + op.kind()))).isEqualTo(op.authorised());
        assertThat(status(op.call(), ops)).isEqualTo(op.authorised());
        if (!op.changes()) assertThat(status(op.call(), callerWith("jeton:admin:read"))).isEqualTo(op.authorised());
    }

    static Stream<Arguments> unknownTargets() {
        return Stream.of(
                Arguments.of("patch user", (Call) (c, t) -> new UsersApi(c).updateUser("nobody", new UserPatch().disabled(true), "*")),
                Arguments.of("get node", (Call) (c, t) -> new NodesApi(c).getNode("nobody")),
                Arguments.of("get upstream", (Call) (c, t) -> new UpstreamsApi(c).getUpstream("nobody")),
                Arguments.of("patch client", (Call) (c, t) -> new ClientsApi(c).updateClient("nobody", new ClientPatch().scopes(List.of("a")), "*")),
                Arguments.of("delete client", (Call) (c, t) -> { new ClientsApi(c).deleteClient("nobody", "*"); return null; }),
                Arguments.of("revoke api key", (Call) (c, t) -> { new ApiKeysApi(c).deleteApiKey("nobody", "*"); return null; }),
                Arguments.of("create api key for nobody", (Call) (c, t) -> new ApiKeysApi(c).createApiKey(new NewApiKey().user("nobody"))),
                Arguments.of("assign unknown identity", (Call) (c, t) -> new IdentitiesApi(c).assignIdentity("nobody", "fx-node", "*")),
                Arguments.of("delete identity", (Call) (c, t) -> { new IdentitiesApi(c).deleteIdentity("nobody", "*"); return null; }),
                Arguments.of("delete trust policy", (Call) (c, t) -> { new TrustPoliciesApi(c).deleteTrustPolicy("nobody", "*"); return null; }),
                Arguments.of("patch node", (Call) (c, t) -> new NodesApi(c).updateNode("nobody", new NodePatch().disabled(true), "*")),
                Arguments.of("delete node", (Call) (c, t) -> { new NodesApi(c).deleteNode("nobody", "*"); return null; }),
                Arguments.of("delete upstream", (Call) (c, t) -> { new UpstreamsApi(c).deleteUpstream("nobody", "*"); return null; }),
                Arguments.of("delete rule", (Call) (c, t) -> { new RulesApi(c).deleteRule("nobody", "*"); return null; }),
                Arguments.of("retire signing key", (Call) (c, t) -> new SigningKeysApi(c).retireSigningKey("nobody", "*")),
                Arguments.of("revoke a token not ours", (Call) (c, t) -> new TokensApi(c).revokeToken(new RevokeToken().token("not-a-token-of-ours"))),
                Arguments.of("revoke refresh family", (Call) (c, t) -> new TokensApi(c).revokeRefreshFamily("nobody")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownTargets")
    void changeWhenTheTargetIsUnknownEvenWithIfMatchStarThen404(String name, Call call) {
        assertThat(status(call, ops)).isEqualTo(404);
    }

    static Stream<Arguments> duplicates() {
        return Stream.of(
                Arguments.of("user", (Call) (c, t) -> new UsersApi(c).createUser(new NewUser().name("fx-user"))),
                Arguments.of("client", (Call) (c, t) -> new ClientsApi(c).createClient(new NewClient().clientId("fx-client"))),
                Arguments.of("identity", (Call) (c, t) -> new IdentitiesApi(c).createIdentity(new NewIdentity().name("fx-identity"))),
                Arguments.of("trust policy", (Call) (c, t) -> new TrustPoliciesApi(c).createTrustPolicy(new NewTrustPolicy().name("fx-trust")
                        .issuer("https://token.actions.githubusercontent.com").audience("jeton").subject("repo:acme/app:*").as("identity:fx-identity"))),
                Arguments.of("node", (Call) (c, t) -> new NodesApi(c).createNode(new NewNode().name("fx-node"))),
                Arguments.of("upstream", (Call) (c, t) -> new UpstreamsApi(c).createUpstream(new NewUpstream().name("fx-upstream").issuer("https://id.example")
                        .clientId("jeton").clientSecret("s3cret"))),
                Arguments.of("secret of a public client", (Call) (c, t) -> new ClientsApi(c).rotateClientSecret("fx-public", "*", null)),
                Arguments.of("retire the active key", (Call) (c, t) -> new SigningKeysApi(c).retireSigningKey(activeKid, "*")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("duplicates")
    void changeWhenItClashesWithWhatIsThereThen409(String name, Call call) {
        assertThat(status(call, ops)).isEqualTo(409);
    }

    static Stream<Arguments> staleTagsWithNoTag() {
        return changes().filter(op -> op.authorised() == 412).map(op -> Arguments.of(op.name(), op));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("staleTagsWithNoTag")
    void changeOfAnExistingResourceWhenNoIfMatchThen428(String name, Op op) {
        try {
            op.call().call(ops, null);
            throw new AssertionError("expected 428");
        } catch (ApiException e) {
            assertThat(e.getCode()).as(e.getResponseBody()).isEqualTo(428);
            assertThat(problem(e).get("type").asText()).isEqualTo("urn:jeton:problem:if-match-required");
        }
    }

    static Stream<String> lists() {
        return Stream.of("users", "groups", "clients", "api-keys", "identities", "trust-policies", "nodes", "upstreams", "rules", "keys", "audit");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lists")
    void listWhenPagedOneByOneThenEveryItemComesOnceAndTheLastPageHasNoNext(String kind) {
        String token = admins.token("pager-" + kind, "jeton:admin:read");
        // The audit log: the fixtures' creation, by position from the newest (nothing else is recorded as this caller meanwhile).
        String query = kind.equals("audit") ? "?subject=as-jeton-admin&event=admin&" : "?";
        JsonNode whole = json(Http.get(jeton.baseUrl() + "/admin/v1/" + kind + query + "limit=500", "Bearer " + token).body());
        assertThat(whole.get("items").size()).isGreaterThanOrEqualTo(2);
        List<String> seen = new ArrayList<>();
        String next = "/admin/v1/" + kind + query + "limit=1";
        while (next != null) {
            HttpResponse<String> page = Http.get(jeton.baseUrl() + next, "Bearer " + token);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = json(page.body());
            assertThat(body.get("items").size()).isEqualTo(1);
            seen.add(body.get("items").get(0).toString());
            next = body.has("next") ? body.get("next").asText() : null;
            if (next != null) assertThat(page.headers().firstValue("Link")).hasValue("<" + next + ">; rel=\"next\"");
            else assertThat(page.headers().firstValue("Link")).isEmpty();
            assertThat(seen.size()).isLessThanOrEqualTo(whole.get("items").size());
        }
        List<String> all = new ArrayList<>();
        whole.get("items").forEach(item -> all.add(item.toString()));
        assertThat(seen).isEqualTo(all);
    }
}
