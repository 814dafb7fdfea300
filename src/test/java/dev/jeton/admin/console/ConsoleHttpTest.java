package dev.jeton.admin.console;

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

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The console over plain HTTP: sign-in redirect, CSRF, rights from groups, and bad input answered as a page, never a 500. */
class ConsoleHttpTest {
    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static ConsoleSignInFlow.Signed admin;
    static ConsoleSignInFlow.Signed reader;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        jeton.wiring().admin().changes().addUser("ada", new Secret("ada-password"), List.of("jeton-admins"));
        jeton.wiring().admin().changes().addUser("rex", new Secret("rex-password"), List.of("jeton-readers"));
        jeton.wiring().admin().changes().addUser("nobody", new Secret("nobody-password"), List.of("devs"));
        jeton.wiring().admin().changes().addIdentity("build", null, null, null);
        admin = ConsoleSignInFlow.signIn(jeton.baseUrl(), "ada", "ada-password");
        reader = ConsoleSignInFlow.signIn(jeton.baseUrl(), "rex", "rex-password");
    }

    @AfterAll
    static void stop() { jeton.close(); }

    @Test
    void pageWhenNotSignedInThenRedirectsToSignInAndOnToTheLoginPage() {
        HttpResponse<String> page = Http.get(jeton.baseUrl() + "/console/clients", null);
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValue("/console/signin");
        HttpResponse<String> signIn = Http.get(jeton.baseUrl() + "/console/signin", null);
        assertThat(signIn.headers().firstValue("Location").orElseThrow())
                .startsWith(jeton.baseUrl() + "/oidc/authorize?response_type=code&client_id=jeton-console&redirect_uri=")
                .contains("code_challenge_method=S256");
        assertThat(signIn.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly").contains("SameSite=Lax");
    }

    @Test
    void signInWhenDoneThenSessionCookieIsHttpOnlyStrictAndPagesCarryTheCsp() {
        HttpResponse<String> page = admin.get("/console/users");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Users</h1>", "ada");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'").doesNotContain("script-src");
    }

    @Test
    void postWhenCsrfMissingOrWrongThen403Page() {
        HttpResponse<String> missing = admin.post("/console/clients", "client_id=nocsrf&grant_types=client_credentials");
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(missing.body()).contains("did not come from the console");
        HttpResponse<String> wrong = admin.post("/console/clients", "csrf=forged&client_id=nocsrf&grant_types=client_credentials");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(jeton.wiring().admin().accounts().client("nocsrf")).isEmpty();
        AuditTrail.of(dir).await("event", "refused", "dialect", "console", "subject", "ada", "reason", "csrf.invalid");
    }

    @Test
    void signOutWhenPostedThenTheSessionNoLongerOpensPages() {
        ConsoleSignInFlow.Signed once = ConsoleSignInFlow.signIn(jeton.baseUrl(), "ada", "ada-password");
        assertThat(once.post("/console/signout", "csrf=" + once.csrf()).statusCode()).isEqualTo(200);
        HttpResponse<String> after = once.get("/console/clients");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(after.headers().firstValue("Location")).hasValue("/console/signin");
    }

    @Test
    void postWhenNotSignedInThen403AndNothingChanges() {
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/console/users", "csrf=x&name=sneaky", null);
        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(jeton.wiring().admin().accounts().user("sneaky")).isEmpty();
    }

    @Test
    void postWhenReadOnlyUserThen403ButPagesShow() {
        assertThat(reader.get("/console/clients").statusCode()).isEqualTo(200);
        assertThat(reader.get("/console/clients").body()).doesNotContain("Add a client");
        HttpResponse<String> res = reader.post("/console/users", "csrf=" + reader.csrf() + "&name=mallory");
        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(res.body()).contains("jeton:admin");
        assertThat(jeton.wiring().admin().accounts().user("mallory")).isEmpty();
        AuditTrail.of(dir).await("event", "refused", "dialect", "console", "subject", "rex", "reason", "scope.insufficient");
    }

    @Test
    void rulesFormWhenAdminThenAddsAndRemovesARuleRecordedAsTheConsoleUser() {
        HttpResponse<String> added = admin.post("/console/rules", "csrf=" + admin.csrf() + "&subject=user%3Aada&repository=lib%2F*&actions=pull");
        assertThat(added.statusCode()).isEqualTo(303);
        String id = jeton.wiring().admin().rules().list().stream().filter(r -> r.repositoryPattern().equals("lib/*")).findFirst().orElseThrow().id();
        assertThat(admin.get("/console/rules").body()).contains("user:ada", "lib/*", "/console/rules/" + id + "/delete");
        assertThat(reader.get("/console/rules").body()).contains("lib/*").doesNotContain("Add a rule");
        assertThat(admin.post("/console/rules/" + id + "/delete", "csrf=" + admin.csrf()).statusCode()).isEqualTo(303);
        assertThat(jeton.wiring().admin().rules().list()).noneMatch(r -> r.id().equals(id));
        AuditTrail.of(dir).await("dialect", "console", "subject", "ada", "action", "rule.delete");
    }

    @Test
    void apiKeyFormWhenAdminThenKeyShownOnceAndRevocable() {
        HttpResponse<String> created = admin.post("/console/api-keys", "csrf=" + admin.csrf() + "&user=rex&name=deploy&expires_in=7d");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).contains("shown this once", dev.jeton.engine.ApiKeys.PREFIX);
        var key = jeton.wiring().admin().apiKeys().list("rex").stream().filter(k -> "deploy".equals(k.name())).findFirst().orElseThrow();
        String list = admin.get("/console/api-keys").body();
        assertThat(list).contains("deploy", key.id()).doesNotContain(dev.jeton.engine.ApiKeys.PREFIX);
        assertThat(admin.post("/console/api-keys/" + key.id() + "/revoke", "csrf=" + admin.csrf()).statusCode()).isEqualTo(303);
        assertThat(jeton.wiring().admin().apiKeys().list("rex").stream().filter(k -> k.id().equals(key.id())).findFirst().orElseThrow().revokedAt()).isNotNull();
    }

    @Test
    void signingKeysFormWhenAdminThenRotates() {
        String activeBefore = activeKid();
        assertThat(admin.get("/console/keys").body()).contains(activeBefore, "active");
        assertThat(admin.post("/console/keys/rotate", "csrf=" + admin.csrf()).statusCode()).isEqualTo(303);
        assertThat(activeKid()).isNotEqualTo(activeBefore);
        assertThat(reader.get("/console/keys").body()).contains("retiring").doesNotContain("Rotate signing keys");
    }

    private static String activeKid() {
        return jeton.wiring().admin().keys().describe().stream().filter(k -> k.state().name().equals("ACTIVE")).findFirst().orElseThrow().kid();
    }

    @Test
    void nodeFormWhenAdminThenEnrolTokenShownOnceAndNodeCanBeDisabledAndRemoved() {
        HttpResponse<String> added = admin.post("/console/nodes", "csrf=" + admin.csrf() + "&name=edge-1");
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body()).contains("Node edge-1 added", "shown this once", "class=\"secret\"");
        assertThat(admin.get("/console/nodes").body()).contains("edge-1", "waiting for enrolment");
        assertThat(admin.post("/console/nodes/edge-1/disabled", "csrf=" + admin.csrf() + "&disabled=true&version=" + nodeVersion("edge-1")).statusCode()).isEqualTo(303);
        assertThat(jeton.wiring().admin().nodes().show("edge-1").orElseThrow().disabled()).isTrue();
        assertThat(admin.post("/console/nodes/edge-1/disabled", "csrf=" + admin.csrf() + "&disabled=false&version=" + nodeVersion("edge-1")).statusCode()).isEqualTo(303);
        assertThat(jeton.wiring().admin().nodes().show("edge-1").orElseThrow().disabled()).isFalse();
        assertThat(admin.post("/console/nodes/edge-1/delete", "csrf=" + admin.csrf()).statusCode()).isEqualTo(303);
        assertThat(jeton.wiring().admin().nodes().show("edge-1")).isEmpty();
        AuditTrail.of(dir).await("dialect", "console", "subject", "ada", "action", "node.remove");
    }

    private static String nodeVersion(String name) {
        return enc(dev.jeton.admin.Versions.of(jeton.wiring().admin().nodes().show(name).orElseThrow()));
    }

    private static String enc(String s) { return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8); }

    @Test
    void trustPolicyFormWhenAdminThenAddsAndRemovesAPolicy() {
        HttpResponse<String> added = admin.post("/console/trust-policies", "csrf=" + admin.csrf()
                + "&name=gha&issuer=https%3A%2F%2Ftoken.actions.githubusercontent.com&audience=jeton&subject=repo%3Aacme%2F*"
                + "&claims=ref%3Drefs%2Fheads%2Fmain&as=user%3Aada&max_ttl=30m");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(303);
        assertThat(admin.get("/console/trust-policies").body()).contains("gha", "repo:acme/*", "ref=refs/heads/main", "30m");
        assertThat(reader.get("/console/trust-policies").body()).contains("gha").doesNotContain("Add a trust policy");
        assertThat(admin.post("/console/trust-policies/gha/delete", "csrf=" + admin.csrf()).statusCode()).isEqualTo(303);
        assertThat(jeton.wiring().admin().trust().show("gha")).isEmpty();
    }

    @Test
    void upstreamFormWhenAdminThenAddsWithoutEverShowingTheSecretAndRemoves() {
        HttpResponse<String> added = admin.post("/console/upstreams", "csrf=" + admin.csrf()
                + "&name=corp&issuer=https%3A%2F%2Fidp.example.com&client_id=jeton-at-corp&client_secret=upstream-secret-123&allowed_domains=example.com");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(303);
        String list = admin.get("/console/upstreams").body();
        assertThat(list).contains("corp", "https://idp.example.com", "jeton-at-corp", "example.com", "type=\"password\"").doesNotContain("upstream-secret-123");
        assertThat(reader.get("/console/upstreams").body()).contains("corp").doesNotContain("Add an upstream provider");
        assertThat(admin.post("/console/upstreams/corp/delete", "csrf=" + admin.csrf()).statusCode()).isEqualTo(303);
        assertThat(jeton.wiring().admin().upstreams().show("corp")).isEmpty();
    }

    static Stream<Arguments> forms() {
        return Stream.of(Arguments.of("/console/clients", "client_id=sneaky&grant_types=client_credentials"),
                Arguments.of("/console/clients/demo/secret", "overlap=1h"),
                Arguments.of("/console/users", "name=sneaky"),
                Arguments.of("/console/users/rex/disabled", "disabled=true"),
                Arguments.of("/console/identities/build/nodes", "node=sneaky-node"),
                Arguments.of("/console/rules", "subject=anonymous&repository=x&actions=pull"),
                Arguments.of("/console/rules/some-id/delete", ""),
                Arguments.of("/console/api-keys", "user=rex&name=sneaky"),
                Arguments.of("/console/api-keys/some-id/revoke", ""),
                Arguments.of("/console/keys/rotate", ""),
                Arguments.of("/console/keys/some-kid/retire", ""),
                Arguments.of("/console/nodes", "name=sneaky-node"),
                Arguments.of("/console/nodes/some-node/disabled", "disabled=true"),
                Arguments.of("/console/nodes/some-node/delete", ""),
                Arguments.of("/console/trust-policies", "name=sneaky&issuer=https%3A%2F%2Fa.example&audience=a&subject=s&as=user%3Aada"),
                Arguments.of("/console/trust-policies/some-policy/delete", ""),
                Arguments.of("/console/upstreams", "name=sneaky&issuer=https%3A%2F%2Fa.example&client_id=c&client_secret=s"),
                Arguments.of("/console/upstreams/some-upstream/delete", ""),
                Arguments.of("/console/groups", "name=sneaky&members=rex"),
                Arguments.of("/console/groups/jeton-readers/members", "user=nobody"),
                Arguments.of("/console/groups/jeton-readers/members/rex/delete", ""),
                Arguments.of("/console/groups/jeton-readers/delete", ""),
                Arguments.of("/console/users/rex/groups", "groups=jeton-admins"),
                Arguments.of("/console/clients/demo", "grant_types=client_credentials"),
                Arguments.of("/console/tokens/revoke", "token=abc"),
                Arguments.of("/console/tokens/families/revoke", "family=abc"),
                Arguments.of("/console/tokens/families/some-family/revoke", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void formsWhenReadOnlyUserOrCsrfMissingOrForgedThen403AuditedAndNothingChanges(String path, String form) {
        int rules = jeton.wiring().admin().rules().list().size();
        int keys = jeton.wiring().admin().apiKeys().list(null).size();
        String activeKid = activeKid();
        HttpResponse<String> byReader = reader.post(path, "csrf=" + reader.csrf() + (form.isEmpty() ? "" : "&" + form));
        assertThat(byReader.statusCode()).as(byReader.body()).isEqualTo(403);
        assertThat(byReader.body()).contains("jeton:admin");
        HttpResponse<String> noCsrf = admin.post(path, form);
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(noCsrf.body()).contains("did not come from the console");
        HttpResponse<String> forged = admin.post(path, "csrf=" + reader.csrf() + (form.isEmpty() ? "" : "&" + form));
        assertThat(forged.statusCode()).as("another session's token").isEqualTo(403);
        assertThat(forged.body()).contains("did not come from the console");
        AuditTrail.of(dir).await(l -> AuditTrail.has(l, "event", "refused", "dialect", "console", "subject", "ada", "reason", "csrf.invalid")
                && l.path("detail").asText().startsWith("POST " + path + ":"));
        assertThat(jeton.wiring().admin().accounts().client("sneaky")).isEmpty();
        assertThat(jeton.wiring().admin().accounts().user("sneaky")).isEmpty();
        assertThat(jeton.wiring().admin().accounts().user("rex").orElseThrow().disabled()).isFalse();
        assertThat(jeton.wiring().admin().identities().list().stream().filter(i -> i.name().equals("build")).findFirst().orElseThrow().nodes()).isEmpty();
        assertThat(jeton.wiring().admin().rules().list()).hasSize(rules);
        assertThat(jeton.wiring().admin().apiKeys().list(null)).hasSize(keys);
        assertThat(activeKid()).isEqualTo(activeKid);
        assertThat(jeton.wiring().admin().nodes().show("sneaky-node")).isEmpty();
        assertThat(jeton.wiring().admin().trust().show("sneaky")).isEmpty();
        assertThat(jeton.wiring().admin().upstreams().show("sneaky")).isEmpty();
        assertThat(jeton.wiring().admin().accounts().user("rex").orElseThrow().groups()).containsExactly("jeton-readers");
        assertThat(jeton.wiring().admin().accounts().user("nobody").orElseThrow().groups()).containsExactly("devs");
    }

    @Test
    void signInWhenUserHasNoConsoleGroupThen403() {
        ConsoleSignInFlow.Signed nobody = signInWithoutCsrf("nobody", "nobody-password");
        HttpResponse<String> res = nobody.get("/console/clients");
        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(res.body()).contains("jeton-admins");
    }

    private static ConsoleSignInFlow.Signed signInWithoutCsrf(String user, String password) {
        HttpResponse<String> start = Http.get(jeton.baseUrl() + "/console/signin", null);
        String stateCookie = start.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> login = dev.jeton.support.LoginFlow.login(start.headers().firstValue("Location").orElseThrow(), user, password);
        HttpResponse<String> callback = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(login.headers().firstValue("Location")
                .orElseThrow())).header("Cookie", stateCookie).GET().build());
        return new ConsoleSignInFlow.Signed(jeton.baseUrl(), callback.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0], null);
    }

    @Test
    void callbackWhenStateIsNotThisBrowsersThen400Page() {
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/console/callback?code=abc&state=xyz", null);
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).contains("not started in this browser");
        AuditTrail.of(dir).await("event", "refused", "dialect", "console", "reason", "console.state_mismatch");
    }

    static Stream<Arguments> garbage() {
        return Stream.of(
                Arguments.of("client without id", "/console/clients", "client_id=&grant_types=client_credentials", 400),
                Arguments.of("unknown grant", "/console/clients", "client_id=g1&grant_types=teleport", 400),
                Arguments.of("bad scope", "/console/clients", "client_id=g2&grant_types=client_credentials&scopes=%22%5C", 400),
                Arguments.of("public with client_credentials", "/console/clients", "client_id=g3&grant_types=client_credentials&public=true", 400),
                Arguments.of("rotate unknown client", "/console/clients/nope/secret", "overlap=1h", 404),
                Arguments.of("rotate with bad overlap", "/console/clients/demo/secret", "overlap=soon", 400),
                Arguments.of("rotate with huge overlap", "/console/clients/demo/secret", "overlap=400d&version={version}", 400),
                Arguments.of("update unknown client", "/console/clients/nope", "grant_types=client_credentials", 404),
                Arguments.of("update client without grants", "/console/clients/demo", "grant_types=", 400),
                Arguments.of("update client with unknown grant", "/console/clients/demo", "grant_types=teleport", 400),
                Arguments.of("update client with bad ttl", "/console/clients/demo", "grant_types=password&access_token_ttl=soon", 400),
                Arguments.of("update client with bad policy", "/console/clients/demo", "grant_types=password&refresh_policy=sometimes", 400),
                Arguments.of("update client with bad algorithm", "/console/clients/demo", "grant_types=password&id_token_alg=none", 400),
                Arguments.of("update client with bad auth method", "/console/clients/demo", "grant_types=password&auth_method=telepathy", 400),
                Arguments.of("update client with bad jwks url", "/console/clients/demo", "grant_types=password&jwks_uri=ftp%3A%2F%2Fx&version={version}", 400),
                Arguments.of("group without name", "/console/groups", "name=&members=rex", 400),
                Arguments.of("group with bad name", "/console/groups", "name=%3Cx%3E&members=rex", 400),
                Arguments.of("group without members", "/console/groups", "name=g1&members=", 400),
                Arguments.of("group with unknown member", "/console/groups", "name=g2&members=ghost", 404),
                Arguments.of("add member to unknown group", "/console/groups/nope/members", "user=rex", 404),
                Arguments.of("add unknown user to group", "/console/groups/devs/members", "user=ghost", 404),
                Arguments.of("remove non-member from group", "/console/groups/devs/members/ada/delete", "", 404),
                Arguments.of("delete unknown group", "/console/groups/nope/delete", "", 404),
                Arguments.of("groups of unknown user", "/console/users/nope/groups", "groups=x", 404),
                Arguments.of("revoke without token", "/console/tokens/revoke", "token=", 400),
                Arguments.of("revoke garbage token", "/console/tokens/revoke", "token=%00%01garbage", 404),
                Arguments.of("revoke unknown family", "/console/tokens/families/nope/revoke", "", 404),
                Arguments.of("revoke family without id", "/console/tokens/families/revoke", "family=", 400),
                Arguments.of("user without name", "/console/users", "name=", 400),
                Arguments.of("user with odd name", "/console/users", "name=%00%01%3Cscript%3E", 400),
                Arguments.of("disable unknown user", "/console/users/nope/disabled", "disabled=true", 404),
                Arguments.of("disable with garbage", "/console/users/rex/disabled", "disabled=maybe", 400),
                Arguments.of("assign unknown identity", "/console/identities/nope/nodes", "node=n1", 404),
                Arguments.of("assign to bad node name", "/console/identities/build/nodes", "node=%2F%2F..&version={version}", 400),
                Arguments.of("rule without actions", "/console/rules", "subject=anonymous&repository=x&actions=", 400),
                Arguments.of("rule with bad subject", "/console/rules", "subject=martian%3Ax&repository=x&actions=pull", 400),
                Arguments.of("rule with bad action", "/console/rules", "subject=anonymous&repository=x&actions=fly", 400),
                Arguments.of("delete unknown rule", "/console/rules/nope/delete", "", 404),
                Arguments.of("api key for unknown user", "/console/api-keys", "user=nope", 404),
                Arguments.of("api key with bad expiry", "/console/api-keys", "user=rex&expires_in=soon", 400),
                Arguments.of("api key with bad scope", "/console/api-keys", "user=rex&scopes=%22%5C", 400),
                Arguments.of("revoke unknown api key", "/console/api-keys/nope/revoke", "", 404),
                Arguments.of("rotate to unknown algorithm", "/console/keys/rotate", "algorithm=ROT13", 400),
                Arguments.of("retire unknown key", "/console/keys/nope/retire", "", 404),
                Arguments.of("node without name", "/console/nodes", "name=", 400),
                Arguments.of("node with bad name", "/console/nodes", "name=%2F%2F..", 400),
                Arguments.of("disable unknown node", "/console/nodes/nope/disabled", "disabled=true", 404),
                Arguments.of("disable node with garbage", "/console/nodes/nope/disabled", "disabled=maybe", 400),
                Arguments.of("remove unknown node", "/console/nodes/nope/delete", "", 404),
                Arguments.of("trust policy without issuer", "/console/trust-policies", "name=t1&audience=a&subject=s&as=user%3Aada", 400),
                Arguments.of("trust policy with ftp issuer", "/console/trust-policies", "name=t2&issuer=ftp%3A%2F%2Fx&audience=a&subject=s&as=user%3Aada", 400),
                Arguments.of("trust policy for nobody", "/console/trust-policies", "name=t3&issuer=https%3A%2F%2Fa.example&audience=a&subject=s&as=user%3Aghost", 400),
                Arguments.of("trust policy with bad ttl", "/console/trust-policies", "name=t4&issuer=https%3A%2F%2Fa.example&audience=a&subject=s&as=user%3Aada&max_ttl=soon", 400),
                Arguments.of("remove unknown trust policy", "/console/trust-policies/nope/delete", "", 404),
                Arguments.of("upstream without secret", "/console/upstreams", "name=u1&issuer=https%3A%2F%2Fa.example&client_id=c&client_secret=", 400),
                Arguments.of("upstream with bad issuer", "/console/upstreams", "name=u2&issuer=nope&client_id=c&client_secret=s", 400),
                Arguments.of("upstream with bad domain", "/console/upstreams", "name=u3&issuer=https%3A%2F%2Fa.example&client_id=c&client_secret=s&allowed_domains=%3Cx%3E", 400),
                Arguments.of("remove unknown upstream", "/console/upstreams/nope/delete", "", 404),
                Arguments.of("no such page", "/console/nothing", "", 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void postWhenGarbageThenClearPageNever500(String name, String path, String form, int status) {
        HttpResponse<String> res = admin.post(path, "csrf=" + admin.csrf() + (form.isEmpty() ? "" : "&" + (form.contains("{version}") ? form.replace("{version}", currentVersion(path)) : form)));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.body()).contains("role=\"alert\"").doesNotContain("Exception");
    }

    /** The version the edit form of {@code path}'s item carries now, so that the row reaches the check it is about. */
    private static String currentVersion(String path) {
        String[] parts = path.split("/");
        var admin = jeton.wiring().admin();
        return enc(switch (parts[2]) {
            case "clients" -> dev.jeton.admin.Versions.of(admin.accounts().client(parts[3]).orElseThrow(), admin.oidc().client(parts[3]));
            case "identities" -> dev.jeton.admin.Versions.of(admin.identities().list().stream().filter(i -> i.name().equals(parts[3])).findFirst().orElseThrow());
            default -> throw new IllegalArgumentException("no version for " + path);
        });
    }

    @Test
    void getWhenGarbageQueryOrPathThenNever500() {
        HttpResponse<String> odd = admin.get("/console/audit?subject=%00%FF&reason=%3Cx%3E");
        assertThat(odd.statusCode()).as(odd.body()).isIn(200, 400);
        assertThat(odd.body()).doesNotContain("<x>");
        assertThat(admin.get("/console/audit?subject=%3Cx%3E").body()).contains("&lt;x&gt;").doesNotContain("<x>");
        assertThat(admin.get("/console/principals/users/%3Cnobody%3E").statusCode()).isEqualTo(404);
        assertThat(admin.get("/console/principals/clients/..%2F..").statusCode()).isIn(400, 404);
    }
}
