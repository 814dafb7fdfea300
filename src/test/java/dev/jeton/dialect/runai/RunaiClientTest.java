package dev.jeton.dialect.runai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.client.runai.ApiClient;
import dev.jeton.client.runai.ApiException;
import dev.jeton.client.runai.api.TokensApiApi;
import dev.jeton.client.runai.model.AppTokenRequest;
import dev.jeton.client.runai.model.AppTokenResponse;
import dev.jeton.client.runai.model.TokenRequest;
import dev.jeton.client.runai.model.TokenResponse;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.LoginFlow;
import dev.jeton.support.ResourceServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Run:ai dialect through the client generated from its (2.18) OpenAPI document, plus the later grants over raw HTTP. */
class RunaiClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "http://127.0.0.1:9/runai-callback";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static TokensApiApi tokens;
    static String appSecret;
    static ResourceServer resourceServer;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        var accounts = jeton.wiring().accounts();
        accounts.addUser("ivan", new Secret("ivan-password"), List.of("researchers"));
        appSecret = accounts.addClient(new ClientSpec("trainer-app", Set.of(GrantType.CLIENT_CREDENTIALS), Set.of(), List.of(), List.of(),
                null, null, RefreshPolicy.ROTATING, false)).secret().value();
        accounts.addClient(new ClientSpec("runai-cli", Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN), Set.of(), List.of(),
                List.of(REDIRECT), null, null, RefreshPolicy.ROTATING, true));
        ApiClient client = new ApiClient();
        client.updateBaseUri(jeton.baseUrl());
        tokens = new TokensApiApi(client);
        resourceServer = new ResourceServer(jeton.baseUrl() + "/oidc/jwks", jeton.baseUrl(), jeton.baseUrl());
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static HttpResponse<String> post(String path, String json) {
        return Http.send(HttpRequest.newBuilder(URI.create(jeton.baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void appTokenWhenApplicationCredentialsThenAccessAndIdToken() throws Exception {
        AppTokenResponse r = tokens.appToken(new AppTokenRequest().id("trainer-app").name("trainer").secret(appSecret));
        assertThat(resourceServer.verify(r.getAccessToken()).getSubject()).isEqualTo("trainer-app");
        assertThat(SignedJWT.parse(r.getIdToken()).getJWTClaimsSet().getAudience()).containsExactly("trainer-app");
        assertThatThrownBy(() -> tokens.appToken(new AppTokenRequest().id("trainer-app").name("trainer").secret("wrong")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(401);
                    assertThat(e.getResponseBody()).isEqualTo("{\"code\":401,\"message\":\"client authentication failed\"}");
                });
    }

    @Test
    void grantTokenWhenAppTokenGrantThenToken() throws Exception {
        TokenResponse r = tokens.grantToken(new TokenRequest().grantType(TokenRequest.GrantTypeEnum.APP_TOKEN).appID("trainer-app")
                .appSecret(appSecret));
        assertThat(resourceServer.verify(r.getAccessToken()).getStringClaim("client_id")).isEqualTo("trainer-app");
        assertThat(r.getIdToken()).isNotBlank();
    }

    @Test
    void passwordThenRefreshRotatesByBothEndpoints() throws Exception {
        TokenResponse login = tokens.grantToken(new TokenRequest().grantType(TokenRequest.GrantTypeEnum.PASSWORD).username("ivan")
                .password("ivan-password"));
        assertThat(resourceServer.verify(login.getAccessToken()).getStringClaim("preferred_username")).isEqualTo("ivan");
        assertThat(SignedJWT.parse(login.getIdToken()).getJWTClaimsSet().getStringClaim("preferred_username")).isEqualTo("ivan");

        TokenResponse second = tokens.grantToken(new TokenRequest().grantType(TokenRequest.GrantTypeEnum.REFRESH_TOKEN)
                .refreshToken(login.getRefreshToken()));
        assertThat(second.getRefreshToken()).isNotEqualTo(login.getRefreshToken());
        TokenResponse third = tokens.refreshToken(second.getRefreshToken());
        assertThat(third.getAccessToken()).isNotBlank();
        assertThatThrownBy(() -> tokens.refreshToken(second.getRefreshToken()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(401));
    }

    @Test
    void exchangeTokenWhenCodeFromLoginPageThenTokensAndTheCodeIsSingleUse() throws Exception {
        String verifier = LoginFlow.verifier();
        String code = LoginFlow.param(LoginFlow.login(LoginFlow.authorizeUrl(jeton.baseUrl(), "runai-cli", REDIRECT, null, "s",
                LoginFlow.challenge(verifier)), "ivan", "ivan-password"), "code");
        HttpResponse<String> viaGrant = post("/api/v1/token", "{\"grantType\":\"exchange_token\",\"code\":\"" + code
                + "\",\"redirectUri\":\"" + REDIRECT + "\",\"clientID\":\"runai-cli\",\"codeVerifier\":\"" + verifier + "\"}");
        assertThat(viaGrant.statusCode()).as(viaGrant.body()).isEqualTo(200);
        assertThat(JSON.readTree(viaGrant.body()).get("refreshToken").asText()).isNotBlank();
        assertThatThrownBy(() -> tokens.exchangeCodeForToken(REDIRECT, code))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getResponseBody()).contains("already used"));
    }

    @Test
    void laterGrantsWhenSentThenAccepted() throws Exception {
        HttpResponse<String> cc = post("/api/v1/token", "{\"GrantType\":\"client_credentials\",\"clientId\":\"trainer-app\","
                + "\"CLIENTSECRET\":\"" + appSecret + "\"}");
        assertThat(cc.statusCode()).as(cc.body()).isEqualTo(200);
        String upstream = JSON.readTree(Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=password&username=ivan"
                + "&password=ivan-password", Http.basic("demo", jeton.demoSecret())).body()).get("access_token").asText();
        HttpResponse<String> external = post("/api/v1/token", "{\"grantType\":\"external_token_exchange\",\"externalToken\":\"" + upstream + "\"}");
        assertThat(external.statusCode()).as(external.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(external.body());
        assertThat(resourceServer.verify(body.get("accessToken").asText()).getStringClaim("preferred_username")).isEqualTo("ivan");
        assertThat(body.get("externalToken").asText()).isEqualTo(upstream);
    }

    @Test
    void badInputWhenSentThenRunaiErrorShape() {
        assertThat(post("/api/v1/token", "{\"grantType\":\"magic\"}").body()).startsWith("{\"code\":400,\"message\":\"grantType must be");
        assertThat(post("/api/v1/token", "{}").body()).isEqualTo("{\"code\":400,\"message\":\"grantType is required\",\"details\":\"field: grantType\"}");
        assertThat(post("/api/v1/token", "not json").statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/token", "{\"grantType\":\"password\",\"username\":\"" + "u".repeat(256) + "\",\"password\":\"x\"}").body())
                .contains("username is longer than 255 characters");
        assertThat(post("/api/v1/token", "{\"grantType\":\"password\",\"appId\":\"a\",\"APPID\":\"b\"}").body()).contains("more than once");
        assertThat(post("/api/v1/token", "{\"grantType\":\"password\",\"username\":\"ivan\",\"password\":\"wrong\"}").statusCode())
                .isEqualTo(401);
        assertThat(post("/v1/k8s/auth/oauth/tokens/refresh?refresh_token=unknown", "{}").body())
                .isEqualTo("{\"code\":401,\"message\":\"refresh token is invalid\"}");
        assertThat(Http.get(jeton.baseUrl() + "/v1/k8s/auth/token/exchange?code=x", null).body()).contains("redirect_uri is required");
    }
}
