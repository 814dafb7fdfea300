package dev.jeton.dialect.runai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.client.runai.ApiClient;
import dev.jeton.client.runai.ApiException;
import dev.jeton.client.runai.api.TokensApi;
import dev.jeton.client.runai.model.AppTokenRequest;
import dev.jeton.client.runai.model.AppTokenResponse;
import dev.jeton.client.runai.model.TokenRequest;
import dev.jeton.client.runai.model.TokenResponse;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.ForgedTokens;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.LoginFlow;
import dev.jeton.support.ResourceServer;
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
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Run:ai dialect through the client generated from its (2.18) OpenAPI document, plus the later grants over raw HTTP. */
class RunaiClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "http://127.0.0.1:9/runai-callback";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static TokensApi tokens;
    static String appSecret;
    static ResourceServer resourceServer;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        var accounts = jeton.wiring().admin().accounts();
        accounts.addUser("ivan", new Secret("ivan-password"), List.of("researchers"));
        appSecret = accounts.addClient(new ClientSpec("trainer-app", Set.of(GrantType.CLIENT_CREDENTIALS), Set.of(), List.of(), List.of(),
                null, null, RefreshPolicy.ROTATING, false)).secret().value();
        accounts.addClient(new ClientSpec("runai-cli", Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN), Set.of(), List.of(),
                List.of(REDIRECT), null, null, RefreshPolicy.ROTATING, true));
        ApiClient client = new ApiClient();
        client.updateBaseUri(jeton.baseUrl());
        tokens = new TokensApi(client);
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
                .appSecret(appSecret), null);
        assertThat(resourceServer.verify(r.getAccessToken()).getStringClaim("client_id")).isEqualTo("trainer-app");
        assertThat(r.getIdToken()).isNotBlank();
    }

    @Test
    void passwordThenRefreshRotatesByBothEndpoints() throws Exception {
        TokenResponse login = tokens.grantToken(new TokenRequest().grantType(TokenRequest.GrantTypeEnum.PASSWORD).username("ivan")
                .password("ivan-password"), null);
        assertThat(resourceServer.verify(login.getAccessToken()).getStringClaim("preferred_username")).isEqualTo("ivan");
        assertThat(SignedJWT.parse(login.getIdToken()).getJWTClaimsSet().getStringClaim("preferred_username")).isEqualTo("ivan");

        TokenResponse second = tokens.grantToken(new TokenRequest().grantType(TokenRequest.GrantTypeEnum.REFRESH_TOKEN)
                .refreshToken(login.getRefreshToken()), null);
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

    static Stream<Arguments> badRequests() {
        String token = "/api/v1/token";
        String app = "/v1/k8s/auth/oauth/apptoken";
        String refresh = "/v1/k8s/auth/oauth/tokens/refresh";
        String exchange = "/v1/k8s/auth/token/exchange";
        String json = "application/json";
        return Stream.of(
                // missing, empty, duplicated, oversized and wrongly typed fields
                Arguments.of("no grantType", "POST", token, json, "{}", 400, "grantType is required", "field: grantType"),
                Arguments.of("empty body", "POST", token, json, "", 400, "grantType is required", "field: grantType"),
                Arguments.of("grantType null", "POST", token, json, "{\"grantType\":null}", 400, "grantType is required", "field: grantType"),
                Arguments.of("grantType a number", "POST", token, json, "{\"grantType\":5}", 400, "grantType must be a string", "field: grantType"),
                Arguments.of("grantType an array", "POST", token, json, "{\"grantType\":[\"password\"]}", 400, "grantType must be a string", "field: grantType"),
                Arguments.of("grantType given twice", "POST", token, json, "{\"grantType\":\"password\",\"grantType\":\"magic\"}", 400,
                        "field 'grantType' is given more than once", "field: grantType"),
                Arguments.of("appId in two cases", "POST", token, json, "{\"grantType\":\"password\",\"appId\":\"a\",\"APPID\":\"b\"}", 400,
                        "field 'APPID' is given more than once", "field: APPID"),
                Arguments.of("username over 255", "POST", token, json, "{\"grantType\":\"password\",\"username\":\"" + "u".repeat(256)
                        + "\",\"password\":\"x\"}", 400, "username is longer than 255 characters", "field: username"),
                Arguments.of("refreshToken over 4096", "POST", token, json, "{\"grantType\":\"refresh_token\",\"refreshToken\":\"" + "r".repeat(4097)
                        + "\"}", 400, "refreshToken is longer than 4096 characters", "field: refreshToken"),
                Arguments.of("password missing", "POST", token, json, "{\"grantType\":\"password\",\"username\":\"ivan\"}", 400,
                        "password is required", "field: password"),
                Arguments.of("password empty", "POST", token, json, "{\"grantType\":\"password\",\"username\":\"ivan\",\"password\":\"\"}", 400,
                        "password is required", "field: password"),
                Arguments.of("appSecret missing", "POST", token, json, "{\"grantType\":\"app_token\",\"appID\":\"trainer-app\"}", 400,
                        "appSecret is required", "field: appSecret"),
                Arguments.of("clientSecret a number", "POST", token, json, "{\"grantType\":\"client_credentials\",\"clientID\":\"a\",\"clientSecret\":1}",
                        400, "clientSecret must be a string", "field: clientSecret"),
                Arguments.of("exchange_token without redirectUri", "POST", token, json, "{\"grantType\":\"exchange_token\",\"code\":\"c\"}", 400,
                        "redirectUri is required", "field: redirectUri"),
                Arguments.of("externalToken missing", "POST", token, json, "{\"grantType\":\"external_token_exchange\"}", 400,
                        "externalToken is required", "field: externalToken"),
                // unknown grant types
                Arguments.of("unknown grantType", "POST", token, json, "{\"grantType\":\"magic\"}", 400, null, "field: grantType"),
                Arguments.of("grantType in snake case of OAuth", "POST", token, json, "{\"grantType\":\"authorization_code\"}", 400, null, "field: grantType"),
                // not JSON, or not an object
                Arguments.of("not JSON", "POST", token, json, "not json", 400, "the body is not valid JSON", null),
                Arguments.of("JSON then junk", "POST", token, json, "{\"grantType\":\"password\"} junk", 400, "the body is not valid JSON", null),
                Arguments.of("a JSON array", "POST", app, json, "[]", 400, "the body must be a JSON object", null),
                Arguments.of("a JSON string", "POST", token, json, "\"password\"", 400, "the body must be a JSON object", null),
                Arguments.of("nested 5000 deep", "POST", token, json, "{\"a\":" + "[".repeat(5000), 400, "the body is not valid JSON", null),
                Arguments.of("a form body", "POST", token, "application/x-www-form-urlencoded", "grantType=password", 400,
                        "the body is not valid JSON", null),
                Arguments.of("body too large", "POST", token, json, "{\"grantType\":\"" + "x".repeat(70_000) + "\"}", 413, null, null),
                // app token
                Arguments.of("app token without id", "POST", app, json, "{\"secret\":\"s\"}", 400, "id is required", "field: id"),
                Arguments.of("app token without secret", "POST", app, json, "{\"id\":\"trainer-app\"}", 400, "secret is required", "field: secret"),
                Arguments.of("app token id a number", "POST", app, json, "{\"id\":7,\"secret\":\"s\"}", 400, "id must be a string", "field: id"),
                Arguments.of("app token of an unknown app", "POST", app, json, "{\"id\":\"ghost\",\"name\":\"g\",\"secret\":\"s\"}", 401,
                        "client authentication failed", null),
                // query parameters
                Arguments.of("refresh without refresh_token", "POST", refresh, json, "{}", 400, "refresh_token is required", "field: refresh_token"),
                Arguments.of("refresh with refresh_token twice", "POST", refresh + "?refresh_token=a&refresh_token=b", json, "{}", 400,
                        "parameter 'refresh_token' was sent more than once", "field: refresh_token"),
                Arguments.of("refresh with an unknown token", "POST", refresh + "?refresh_token=unknown", json, "{}", 401,
                        "refresh token is invalid", null),
                Arguments.of("refresh with invalid UTF-8", "POST", refresh + "?refresh_token=%C3%28", json, "{}", 400,
                        "form data is not valid UTF-8", null),
                Arguments.of("exchange without redirect_uri", "GET", exchange + "?code=x", null, null, 400, "redirect_uri is required",
                        "field: redirect_uri"),
                Arguments.of("exchange with code over 2048", "GET", exchange + "?redirect_uri=http://a&code=" + "c".repeat(2049), null, null, 400,
                        "code is longer than 2048 characters", "field: code"),
                Arguments.of("exchange with an unknown code", "GET", exchange + "?redirect_uri=http://a&code=nope", null, null, 401, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void requestWhenBadThenRunaiErrorShape(String name, String method, String path, String contentType, String body, int status,
                                           String message, String details) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jeton.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        assertRunaiError(Http.send(b.build()), status, message, details);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8Bodies")
    void requestWhenBodyIsNotUtf8ThenRunaiErrorShape(String name, String path) throws Exception {
        byte[] body = {'{', '"', 'g', 'r', 'a', 'n', 't', 'T', 'y', 'p', 'e', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'};
        assertRunaiError(Http.send(HttpRequest.newBuilder(URI.create(jeton.baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()), 400, "request body is not valid UTF-8", null);
    }

    static Stream<Arguments> invalidUtf8Bodies() {
        return Stream.of(Arguments.of("token", "/api/v1/token"), Arguments.of("app token", "/v1/k8s/auth/oauth/apptoken"));
    }

    /** Tokens presented to external_token_exchange that must be refused: broken, forged, expired, not ours. */
    static Stream<Arguments> badExternalTokens() {
        return Stream.of(
                Arguments.of("garbage", (Function<ForgedTokens, String>) f -> "x.y.z"),
                Arguments.of("payload not JSON", (Function<ForgedTokens, String>) f -> ForgedTokens.malformed()),
                Arguments.of("encrypted JWT shape", (Function<ForgedTokens, String>) f -> ForgedTokens.encryptedShape()),
                Arguments.of("expired", (Function<ForgedTokens, String>) f -> f.expired(ivanId(), "ivan")),
                Arguments.of("not yet valid", (Function<ForgedTokens, String>) f -> f.notYetValid(ivanId(), "ivan")),
                Arguments.of("wrongly signed under our kid", (Function<ForgedTokens, String>) f -> f.wronglySigned(ivanId(), "ivan")),
                Arguments.of("alg none", (Function<ForgedTokens, String>) f -> f.algNone(ivanId(), "ivan")),
                Arguments.of("HS256 keyed with our JWKS", (Function<ForgedTokens, String>) f -> f.hmacWithPublicKeys(ivanId(), "ivan")),
                Arguments.of("untrusted issuer", (Function<ForgedTokens, String>) f -> f.otherIssuer(ivanId(), "ivan")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badExternalTokens")
    void externalTokenExchangeWhenTokenIsBadThen401(String name, Function<ForgedTokens, String> token) throws Exception {
        String forged = token.apply(new ForgedTokens(jeton.wiring().admin().keys(), jeton.wiring().issuer()));
        HttpResponse<String> res = post("/api/v1/token", "{\"grantType\":\"external_token_exchange\",\"externalToken\":\"" + forged + "\"}");
        assertRunaiError(res, 401, null, null);
        assertThat(res.body()).doesNotContain(forged);
    }

    @Test
    void passwordWhenWrongThen401WithoutEchoingIt() throws Exception {
        HttpResponse<String> res = post("/api/v1/token", "{\"grantType\":\"password\",\"username\":\"ivan\",\"password\":\"wrong-secret-pw\"}");
        assertRunaiError(res, 401, null, null);
        assertThat(res.body()).doesNotContain("wrong-secret-pw");
    }

    private static void assertRunaiError(HttpResponse<String> res, int status, String message, String details) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("code").asInt()).isEqualTo(status);
        assertThat(body.get("message").asText()).isNotBlank().doesNotContain("Exception").hasSizeLessThan(200);
        if (message != null) assertThat(body.get("message").asText()).isEqualTo(message);
        if (details != null) assertThat(body.get("details").asText()).isEqualTo(details);
        assertThat(res.body()).doesNotContain(appSecret);
    }

    private static String ivanId() {
        return jeton.wiring().admin().accounts().users().stream().filter(u -> u.name().equals("ivan")).findFirst().orElseThrow().id();
    }
}
