package dev.jeton.dialect.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
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

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scopes as real clients send them, over raw HTTP: the {@code access} claim of the token, read
 * with a standard base64 decoder as the ACR SDKs read it. Every requested resource has an entry
 * (no actions where nothing is granted or the type is not understood); only what is not a scope
 * at all is a 400 that names it.
 */
class RegistryScopeWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "registry.test";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static String appSecret;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        jeton.wiring().admin().accounts().addUser("alice", new Secret("alice-password"), List.of("team-a"));
        appSecret = jeton.wiring().admin().accounts().addClient(new ClientSpec("ci-app", Set.of(GrantType.CLIENT_CREDENTIALS), Set.of(), List.of(),
                List.of(), null, null, RefreshPolicy.ROTATING, false)).secret().value();
        jeton.wiring().admin().rules().add("group:team-a", "team-a/*", Set.of("pull", "push"));
        jeton.wiring().admin().rules().add("app:ci-app", "*", Set.of("*"));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    /** The {@code access} claim, decoded with a standard (not URL-safe) base64 decoder, as the ACR SDKs decode it. */
    private static String access(HttpResponse<String> res, String field) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        String payload = JSON.readTree(res.body()).get(field).asText().split("\\.")[1];
        String padded = payload + "=".repeat((4 - payload.length() % 4) % 4);
        return JSON.readTree(Base64.getDecoder().decode(padded)).get("access").toString();
    }

    static Stream<Arguments> scopes() {
        return Stream.of(
                Arguments.of("a repository, granted", "alice", List.of("repository:team-a/app:pull,push"),
                        "[{\"type\":\"repository\",\"name\":\"team-a/app\",\"actions\":[\"pull\",\"push\"]}]"),
                Arguments.of("a repository, cut to what rules allow", "alice", List.of("repository:team-a/app:pull,delete"),
                        "[{\"type\":\"repository\",\"name\":\"team-a/app\",\"actions\":[\"pull\"]}]"),
                Arguments.of("a repository, nothing allowed", "alice", List.of("repository:team-b/app:pull"),
                        "[{\"type\":\"repository\",\"name\":\"team-b/app\",\"actions\":[]}]"),
                Arguments.of("azure-cli's artifact-repository (not understood)", "alice", List.of("artifact-repository:team-a/chart:pull"),
                        "[{\"type\":\"artifact-repository\",\"name\":\"team-a/chart\",\"actions\":[]}]"),
                Arguments.of("a type in upper case (not understood)", "alice", List.of("Repository:team-a/app:pull"),
                        "[{\"type\":\"Repository\",\"name\":\"team-a/app\",\"actions\":[]}]"),
                Arguments.of("ACR's metadataRead action (not allowed by a pull,push rule)", "alice", List.of("repository:team-a/app:metadataRead,pull"),
                        "[{\"type\":\"repository\",\"name\":\"team-a/app\",\"actions\":[\"pull\"]}]"),
                Arguments.of("a class, as docker plugin install asks", "alice", List.of("repository(plugin):team-a/sshfs:pull"),
                        "[{\"type\":\"repository\",\"class\":\"plugin\",\"name\":\"team-a/sshfs\",\"actions\":[\"pull\"]}]"),
                Arguments.of("the catalog, for an app with * on *", "ci-app", List.of("registry:catalog:*"),
                        "[{\"type\":\"registry\",\"name\":\"catalog\",\"actions\":[\"*\"]}]"),
                Arguments.of("the catalog, for a user without such a rule", "alice", List.of("registry:catalog:*"),
                        "[{\"type\":\"registry\",\"name\":\"catalog\",\"actions\":[]}]"),
                Arguments.of("a registry resource other than the catalog", "ci-app", List.of("registry:settings:*"),
                        "[{\"type\":\"registry\",\"name\":\"settings\",\"actions\":[]}]"),
                Arguments.of("a host and port in the name", "ci-app", List.of("repository:localhost:5000/tools:pull"),
                        "[{\"type\":\"repository\",\"name\":\"localhost:5000/tools\",\"actions\":[\"pull\"]}]"),
                Arguments.of("no actions at all", "alice", List.of("repository:team-a/app:"),
                        "[{\"type\":\"repository\",\"name\":\"team-a/app\",\"actions\":[]}]"),
                Arguments.of("repeated scope= and several in one, in order", "alice",
                        List.of("repository:team-a/a:pull artifact-repository:team-a/b:pull", "registry:catalog:*", "repository:team-a/c:push"),
                        "[{\"type\":\"repository\",\"name\":\"team-a/a\",\"actions\":[\"pull\"]},"
                                + "{\"type\":\"artifact-repository\",\"name\":\"team-a/b\",\"actions\":[]},"
                                + "{\"type\":\"registry\",\"name\":\"catalog\",\"actions\":[]},"
                                + "{\"type\":\"repository\",\"name\":\"team-a/c\",\"actions\":[\"push\"]}]"),
                Arguments.of("'>', '?' and '~' in a name stay out of the base64", "ci-app", List.of("repository:team-a/x>y?z~:pull"),
                        "[{\"type\":\"repository\",\"name\":\"team-a/x>y?z~\",\"actions\":[\"pull\"]}]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scopes")
    void loginWhenScopesAsClientsSendThemThenEveryResourceInTheAccessClaim(String name, String who, List<String> scopes, String expected)
            throws Exception {
        String basic = who.equals("ci-app") ? Http.basic("ci-app", appSecret) : Http.basic("alice", "alice-password");
        StringBuilder query = new StringBuilder("service=" + SERVICE);
        for (String scope : scopes) query.append("&scope=").append(enc(scope));
        // GET as docker and skopeo send it: repeated scope= parameters.
        assertThat(access(Http.get(jeton.baseUrl() + "/oauth2/token?" + query, basic), "token")).isEqualTo(expected);
        // POST as the ACR SDKs and azure-cli send it (form-encoded, password grant), answering the same claim.
        String user = who.equals("ci-app") ? "ci-app" : "alice";
        String password = who.equals("ci-app") ? appSecret : "alice-password";
        assertThat(access(Http.postForm(jeton.baseUrl() + "/oauth2/token", "grant_type=password&username=" + user + "&password="
                + enc(password) + "&" + query, null), "access_token")).isEqualTo(expected);
    }

    @Test
    void postWhenSomeScopesGetNothingThenScopeFieldListsOnlyWhatWasGranted() throws Exception {
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oauth2/token", "grant_type=password&username=alice&password=alice-password"
                + "&service=" + SERVICE + "&scope=" + enc("repository:team-a/app:pull artifact-repository:team-a/chart:pull repository:team-b/x:pull"), null);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(res.body()).get("scope").asText()).isEqualTo("repository:team-a/app:pull");
    }

    @Test
    void loginWhenTypeNotUnderstoodThenTheAuditLogSaysSo() {
        Http.get(jeton.baseUrl() + "/oauth2/token?service=" + SERVICE + "&scope=" + enc("artifact-repository:team-a/audited:pull"),
                Http.basic("alice", "alice-password"));
        JsonNode issued = AuditTrail.of(dir).await(line -> line.path("limits").toString().contains("artifact-repository:team-a/audited:pull"));
        assertThat(issued.get("event").asText()).isEqualTo("issued");
        assertThat(issued.get("reason").asText()).isEqualTo("scope.not_understood");
    }

    @Test
    void anonymousWhenEveryScopeGetsNothingThen401SoTheClientComesBackWithCredentials() {
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oauth2/token?service=" + SERVICE + "&scope=" + enc("artifact-repository:x:pull"), null);
        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.body()).isEqualTo("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
    }

    static Stream<Arguments> notScopes() {
        return Stream.of(
                Arguments.of("repository", "invalid scope 'repository': expected type:name:actions"),
                Arguments.of("repository:team-a/app", "invalid scope 'repository:team-a/app': expected type:name:actions"),
                Arguments.of(":team-a/app:pull", "invalid scope ':team-a/app:pull': the type must be letters, digits, '-', '_' or '.'"),
                Arguments.of("repository::pull", "invalid scope 'repository::pull': the resource name is empty"),
                Arguments.of("repository():app:pull", "invalid scope 'repository():app:pull': the class must be letters, digits, '-', '_' or '.'"),
                Arguments.of("repository(plugin:app:pull", "invalid scope 'repository(plugin:app:pull': expected type(class)"),
                Arguments.of("team/app:x:pull", "invalid scope 'team/app:x:pull': the type must be letters, digits, '-', '_' or '.'"),
                Arguments.of("repository:app:pu\tll", "invalid scope 'repository:app:pu?ll': it contains a control character"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notScopes")
    void loginWhenAScopeIsNotAScopeThen400NamingIt(String scope, String message) throws Exception {
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oauth2/token?service=" + SERVICE + "&scope=repository:team-a/ok:pull&scope="
                + enc(scope), Http.basic("alice", "alice-password"));
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(res.body()).get("errors").get(0).get("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(JSON.readTree(res.body()).get("errors").get(0).get("message").asText()).isEqualTo(message);
    }
}
