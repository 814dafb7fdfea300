package dev.jeton.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.client.runai.ApiClient;
import dev.jeton.client.runai.ApiException;
import dev.jeton.client.runai.api.TokensApi;
import dev.jeton.client.runai.model.TokenRequest;
import dev.jeton.client.runai.model.TokenResponse;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.AccessRule;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.LoginFlow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each dialect's tokens issued, refused, refreshed and revoked, over real HTTP, as the lines
 * of the audit file: who, what, from where, and the check that failed. No secret, password or
 * token used here may appear in the file.
 */
class AuditTrailTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "audit-registry";
    private static final String ARM = "https://management.azure.com/";
    private static final String REDIRECT = "http://127.0.0.1:9/callback";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static AuditTrail trail;
    static AccessRule carolPull;
    /** Every secret, password and token the tests send or receive: none may reach the audit log. */
    static final List<String> secrets = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        trail = AuditTrail.of(dir);
        var accounts = jeton.wiring().admin().accounts();
        for (String user : List.of("alice", "bob", "carol", "dora", "ivan", "olga")) {
            accounts.addUser(user, new Secret(user + "-password-1"), List.of());
            secrets.add(user + "-password-1");
        }
        secrets.add(jeton.demoSecret());
        secrets.add(jeton.adminPassword());
        carolPull = jeton.wiring().admin().rules().add("user:carol", "team-a/*", Set.of("pull"));
        jeton.wiring().admin().identities().add("vm-identity", "72f988bf-86f1-41af-91ab-2d7cd011db47", null, "test-node");
        accounts.addClient(new ClientSpec("spa", Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN), Set.of("openid"),
                List.of(), List.of(REDIRECT), null, null, RefreshPolicy.ROTATING, true));
    }

    @AfterAll
    static void stop() {
        jeton.close();
        // Closing drains the writer: everything the tests did is in the file now.
        trail.assertContainsNone(secrets);
    }

    @Test
    void oauth2PasswordWhenIssuedThenLineNamesSubjectClientScopeTokenIdAndOrigin() throws Exception {
        HttpResponse<String> res = Http.send(HttpRequest.newBuilder(URI.create(jeton.baseUrl() + "/oidc/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", Http.basic("demo", jeton.demoSecret()))
                .header("User-Agent", "curl/8.5.0")
                .header("X-Forwarded-For", "203.0.113.7, 10.0.0.1")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=alice&password=alice-password-1&scope=read"))
                .build());
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode body = remember(res);

        JsonNode line = trail.await("event", "issued", "dialect", "oauth2", "subject", "alice");
        assertThat(line.get("grant").asText()).isEqualTo("password");
        assertThat(line.get("kind").asText()).isEqualTo("user");
        assertThat(line.get("client_id").asText()).isEqualTo("demo");
        assertThat(line.get("scope").toString()).isEqualTo("[\"read\"]");
        assertThat(line.get("token_id").asText()).isEqualTo(jti(body.get("access_token").asText()));
        assertThat(line.get("family_id").asText()).isNotBlank();
        assertThat(line.get("remote").asText()).isEqualTo("127.0.0.1");
        assertThat(line.get("forwarded_for").asText()).isEqualTo("203.0.113.7, 10.0.0.1");
        assertThat(line.get("user_agent").asText()).isEqualTo("curl/8.5.0");
        assertThat(line.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(line.has("reason")).isFalse();
    }

    @Test
    void oauth2WhenEachCheckFailsThenRefusedLineNamesThatCheck() {
        assertThat(token("demo", jeton.demoSecret(), "grant_type=password&username=bob&password=wrong-password-9").statusCode())
                .isEqualTo(400);
        assertThat(trail.await("event", "refused", "subject", "bob").get("reason").asText()).isEqualTo("user.password_mismatch");

        token("demo", jeton.demoSecret(), "grant_type=password&username=nobody-here&password=wrong-password-9");
        assertThat(trail.await("event", "refused", "subject", "nobody-here").get("reason").asText()).isEqualTo("user.unknown");

        secrets.add("not-the-demo-secret");
        assertThat(token("demo", "not-the-demo-secret", "grant_type=client_credentials").statusCode()).isEqualTo(401);
        JsonNode badSecret = trail.await("event", "refused", "reason", "client.secret_mismatch");
        assertThat(badSecret.get("client_id").asText()).isEqualTo("demo");
        assertThat(badSecret.get("grant").asText()).isEqualTo("client_credentials");

        token("demo", jeton.demoSecret(), "grant_type=password&username=dora&password=dora-password-1&scope=admin");
        JsonNode scope = trail.await("event", "refused", "subject", "dora");
        assertThat(scope.get("reason").asText()).isEqualTo("scope.not_allowed");
        assertThat(scope.get("detail").asText()).isEqualTo("scope 'admin' is not allowed for this client");
    }

    @Test
    void refreshWhenRotatedThenRefreshedAndWhenReusedThenReuseDetectedAndFamilyRevoked() throws Exception {
        JsonNode login = remember(token("demo", jeton.demoSecret(), "grant_type=password&username=olga&password=olga-password-1"));
        String first = login.get("refresh_token").asText();
        String family = trail.await("event", "issued", "subject", "olga").get("family_id").asText();

        JsonNode rotated = remember(token("demo", jeton.demoSecret(), "grant_type=refresh_token&refresh_token=" + first));
        JsonNode refreshed = trail.await("event", "refreshed", "subject", "olga");
        assertThat(refreshed.get("family_id").asText()).isEqualTo(family);
        assertThat(refreshed.get("token_id").asText()).isEqualTo(jti(rotated.get("access_token").asText()));

        // The thief (or the victim) presents the old token again: reuse, and the whole family goes.
        assertThat(token("demo", jeton.demoSecret(), "grant_type=refresh_token&refresh_token=" + first).statusCode()).isEqualTo(400);
        JsonNode reuse = trail.await("event", "reuse_detected", "subject", "olga");
        assertThat(reuse.get("reason").asText()).isEqualTo("refresh.reused");
        assertThat(reuse.get("family_id").asText()).isEqualTo(family);
        assertThat(reuse.get("detail").asText()).contains("whole family is now revoked");

        String newest = rotated.get("refresh_token").asText();
        assertThat(token("demo", jeton.demoSecret(), "grant_type=refresh_token&refresh_token=" + newest).statusCode()).isEqualTo(400);
        JsonNode revoked = trail.await("event", "refused", "subject", "olga", "reason", "refresh.revoked");
        assertThat(revoked.get("family_id").asText()).isEqualTo(family);
    }

    @Test
    void revokeWhenClientRevokesRefreshTokenThenRevokedLineNamesTheFamily() {
        JsonNode login = remember(token("demo", jeton.demoSecret(), "grant_type=password&username=dora&password=dora-password-1"));
        String family = trail.await("event", "issued", "subject", "dora").get("family_id").asText();
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oidc/revoke",
                "token=" + login.get("refresh_token").asText(), Http.basic("demo", jeton.demoSecret()));
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode line = trail.await("event", "revoked", "family_id", family);
        assertThat(line.get("dialect").asText()).isEqualTo("oauth2");
        assertThat(line.get("subject").asText()).isEqualTo("dora");
        assertThat(line.get("client_id").asText()).isEqualTo("demo");
        assertThat(line.get("detail").asText()).isEqualTo("client demo revoked refresh_family");
    }

    @Test
    void occamWhenLoginAndApiKeyThenIssuedAndUnknownKeyRefused() {
        HttpResponse<String> login = Http.postForm(jeton.baseUrl() + "/auth/access-token", "username=ivan&password=ivan-password-1", null);
        assertThat(login.statusCode()).isEqualTo(200);
        remember(login);
        JsonNode issued = trail.await("event", "issued", "dialect", "occam", "subject", "ivan");
        assertThat(issued.get("client_id").asText()).isEqualTo("occam");
        assertThat(issued.get("grant").asText()).isEqualTo("password");
        HttpResponse<String> refreshed = Http.send(HttpRequest.newBuilder(URI.create(jeton.baseUrl() + "/auth/refresh-token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + remember(login).get("refresh_token").asText() + "\"}"))
                .build());
        assertThat(refreshed.statusCode()).isEqualTo(200);
        remember(refreshed);
        assertThat(trail.await("event", "refreshed", "dialect", "occam", "subject", "ivan").get("family_id").asText())
                .isEqualTo(issued.get("family_id").asText());

        var key = jeton.wiring().admin().apiKeys().create("ivan", "ci", Set.of("jobs:read"), null);
        secrets.add(key.secret().value());
        HttpResponse<String> byKey = Http.get(jeton.baseUrl() + "/auth/access-token?key=" + key.secret().value(), null);
        assertThat(byKey.statusCode()).isEqualTo(200);
        remember(byKey);
        JsonNode apiKey = trail.await("event", "issued", "dialect", "occam", "grant", "api_key");
        assertThat(apiKey.get("subject").asText()).isEqualTo("ivan");
        assertThat(apiKey.get("scope").toString()).isEqualTo("[\"jobs:read\"]");

        secrets.add("sk-occam-not-a-real-key-0000000000");
        assertThat(Http.get(jeton.baseUrl() + "/auth/access-token?key=sk-occam-not-a-real-key-0000000000", null).statusCode())
                .isEqualTo(400);
        assertThat(trail.await("event", "refused", "dialect", "occam", "grant", "api_key").get("reason").asText())
                .isEqualTo("api_key.unknown");
    }

    @Test
    void registryWhenPartlyGrantedThenLineNamesTheRuleThatLimitedIt() throws Exception {
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oauth2/token?service=" + SERVICE
                + "&scope=repository:team-a/app:pull,push&scope=repository:team-b/lib:pull", Http.basic("carol", "carol-password-1"));
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode body = remember(res);

        JsonNode line = trail.await("event", "issued", "dialect", "registry", "subject", "carol");
        assertThat(line.get("grant").asText()).isEqualTo("registry_login");
        assertThat(line.get("scope").toString()).isEqualTo("[\"repository:team-a/app:pull\"]");
        assertThat(line.get("token_id").asText()).isEqualTo(jti(body.get("token").asText()));
        assertThat(line.get("reason").asText()).isEqualTo("rule:" + carolPull.id());
        assertThat(line.get("limits").toString()).isEqualTo("[{\"requested\":\"repository:team-a/app:pull,push\",\"granted\":\"pull\","
                + "\"reason\":\"rule:" + carolPull.id() + "\"},{\"requested\":\"repository:team-b/lib:pull\",\"granted\":\"\","
                + "\"reason\":\"rule.no_match\"}]");
    }

    @Test
    void registryWhenAnonymousGetsNothingThenRefusedNoRuleMatched() {
        assertThat(Http.get(jeton.baseUrl() + "/oauth2/token?service=" + SERVICE + "&scope=repository:secret/app:pull", null)
                .statusCode()).isEqualTo(401);
        JsonNode line = trail.await("event", "refused", "dialect", "registry", "kind", "anonymous");
        assertThat(line.get("reason").asText()).isEqualTo("rule.no_match");

        secrets.add("carol-wrong-password");
        Http.get(jeton.baseUrl() + "/oauth2/token?service=" + SERVICE, Http.basic("carol", "carol-wrong-password"));
        assertThat(trail.await("event", "refused", "dialect", "registry", "subject", "carol").get("reason").asText())
                .isEqualTo("user.password_mismatch");
    }

    @Test
    void imdsWhenIssuedThenIdentityRecordedAndWhenProxiedThenRefused() throws Exception {
        HttpResponse<String> res = imds("api-version=2018-02-01&resource=" + ARM, null);
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode body = remember(res);
        JsonNode line = trail.await("event", "issued", "dialect", "imds");
        assertThat(line.get("subject").asText()).isEqualTo("vm-identity");
        assertThat(line.get("kind").asText()).isEqualTo("managed_identity");
        assertThat(line.get("token_id").asText()).isEqualTo(jti(body.get("access_token").asText()));

        assertThat(imds("api-version=2018-02-01&resource=" + ARM, "198.51.100.4").statusCode()).isEqualTo(400);
        JsonNode proxied = trail.await("event", "refused", "dialect", "imds", "reason", "imds.proxied");
        assertThat(proxied.get("forwarded_for").asText()).isEqualTo("198.51.100.4");

        assertThat(imds("api-version=2018-02-01&resource=" + ARM + "&client_id=no-such-client", null).statusCode()).isEqualTo(400);
        trail.await("event", "refused", "dialect", "imds", "reason", "identity.not_found", "subject", "no-such-client");
    }

    @Test
    void runaiWhenItsClientAsksThenUserAgentIsRecorded() throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri(jeton.baseUrl());
        // What Run:ai's generated Python SDK sends.
        client.setRequestInterceptor(b -> b.setHeader("User-Agent", "Swagger-Codegen/1.0.0/python"));
        TokensApi tokens = new TokensApi(client);
        TokenResponse login = tokens.grantToken(new TokenRequest().grantType(TokenRequest.GrantTypeEnum.PASSWORD).username("ivan")
                .password("ivan-password-1"), null);
        secrets.add(login.getAccessToken());
        secrets.add(login.getRefreshToken());
        secrets.add(login.getIdToken());
        JsonNode issued = trail.await("event", "issued", "dialect", "runai", "subject", "ivan");
        assertThat(issued.get("user_agent").asText()).isEqualTo("Swagger-Codegen/1.0.0/python");
        assertThat(issued.get("client_id").asText()).isEqualTo("runai");

        tokens.grantToken(new TokenRequest().grantType(TokenRequest.GrantTypeEnum.REFRESH_TOKEN).refreshToken(login.getRefreshToken()), null);
        assertThat(trail.await("event", "refreshed", "dialect", "runai", "subject", "ivan").get("user_agent").asText())
                .isEqualTo("Swagger-Codegen/1.0.0/python");

        secrets.add("ivan-wrong-password");
        assertThatThrownBy(() -> tokens.grantToken(new TokenRequest().grantType(TokenRequest.GrantTypeEnum.PASSWORD).username("ivan")
                .password("ivan-wrong-password"), null)).isInstanceOf(ApiException.class);
        JsonNode refused = trail.await("event", "refused", "dialect", "runai", "subject", "ivan");
        assertThat(refused.get("reason").asText()).isEqualTo("user.password_mismatch");
        assertThat(refused.get("user_agent").asText()).isEqualTo("Swagger-Codegen/1.0.0/python");
    }

    @Test
    void codeFlowWhenLoginFailsThenRefusedAndWhenCodeIsReplayedThenReuseDetected() throws Exception {
        String verifier = LoginFlow.verifier();
        String url = LoginFlow.authorizeUrl(jeton.baseUrl(), "spa", REDIRECT, "openid", "s1", LoginFlow.challenge(verifier));
        secrets.add("alice-wrong-password");
        assertThat(LoginFlow.login(url, "alice", "alice-wrong-password").statusCode()).isEqualTo(400);
        JsonNode login = trail.await("event", "refused", "grant", "login", "subject", "alice");
        assertThat(login.get("reason").asText()).isEqualTo("user.password_mismatch");
        assertThat(login.get("client_id").asText()).isEqualTo("spa");

        String code = LoginFlow.param(LoginFlow.login(url, "alice", "alice-password-1"), "code");
        secrets.add(code);
        String redeem = "grant_type=authorization_code&client_id=spa&code=" + code + "&redirect_uri=" + REDIRECT
                + "&code_verifier=" + verifier;
        remember(Http.postForm(jeton.baseUrl() + "/oidc/token", redeem, null));
        trail.await("event", "issued", "grant", "authorization_code", "subject", "alice");
        assertThat(Http.postForm(jeton.baseUrl() + "/oidc/token", redeem, null).statusCode()).isEqualTo(400);
        JsonNode replay = trail.await("event", "reuse_detected", "grant", "authorization_code");
        assertThat(replay.get("reason").asText()).isEqualTo("code.replayed");
        assertThat(replay.get("client_id").asText()).isEqualTo("spa");
    }

    private static HttpResponse<String> token(String client, String secret, String form) {
        return Http.postForm(jeton.baseUrl() + "/oidc/token", form, Http.basic(client, secret));
    }

    private static HttpResponse<String> imds(String query, String forwardedFor) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jeton.imdsUrl() + "/metadata/identity/oauth2/token?" + query))
                .header("Metadata", "true").GET();
        if (forwardedFor != null) b.header("X-Forwarded-For", forwardedFor);
        return Http.send(b.build());
    }

    /** The response's body, with every token in it added to the secrets to scan for. */
    private static JsonNode remember(HttpResponse<String> res) {
        try {
            JsonNode body = JSON.readTree(res.body());
            for (String field : List.of("access_token", "refresh_token", "id_token", "token")) {
                JsonNode v = body.get(field);
                if (v != null && !v.asText().isEmpty()) secrets.add(v.asText());
            }
            return body;
        } catch (java.io.IOException e) {
            throw new AssertionError(res.body(), e);
        }
    }

    private static String jti(String jwt) throws java.io.IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1])).get("jti").asText();
    }
}
