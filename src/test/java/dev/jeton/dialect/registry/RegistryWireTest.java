package dev.jeton.dialect.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.client.registry.ApiClient;
import dev.jeton.client.registry.ApiException;
import dev.jeton.client.registry.api.AcrTokenApi;
import dev.jeton.client.registry.model.AccessToken;
import dev.jeton.client.registry.model.RefreshToken;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.ForgedTokens;
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
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry dialect on the wire, through the client generated from its OpenAPI document, whose
 * methods have the ACR client's signatures; what Jeton accepts beyond them (account, api-version,
 * offline_token, the password grant, no scope) goes over plain HTTP.
 */
class RegistryWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "registry.test";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static String appSecret;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        var accounts = jeton.wiring().admin().accounts();
        accounts.addUser("alice", new Secret("alice-password"), List.of("team-a"));
        accounts.addUser("bob", new Secret("bob-password"), List.of());
        appSecret = accounts.addClient(new ClientSpec("ci-app", Set.of(GrantType.CLIENT_CREDENTIALS), Set.of(), List.of(), List.of(),
                null, null, RefreshPolicy.ROTATING, false)).secret().value();
        var rules = jeton.wiring().admin().rules();
        rules.add("group:team-a", "team-a/*", Set.of("pull", "push"));
        rules.add("user:bob", "team-a/*", Set.of("pull"));
        rules.add("user:bob", "localhost:5000/tools", Set.of("*"));
        rules.add("app:ci-app", "*", Set.of("*"));
        rules.add("anonymous", "public/*", Set.of("pull"));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static AcrTokenApi api(String user, String password) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(jeton.baseUrl());
        if (user != null) client.setRequestInterceptor(b -> b.header("Authorization", Http.basic(user, password)));
        return new AcrTokenApi(client);
    }

    private static String encoded(String value) { return URLEncoder.encode(value, StandardCharsets.UTF_8); }

    private static JsonNode json(HttpResponse<String> res) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    /** The payload decoded with a standard (not URL-safe) decoder, as the ACR SDKs do. */
    private static JsonNode strictPayload(String jwt) throws Exception {
        String payload = jwt.split("\\.")[1];
        String padded = payload + "=".repeat((4 - payload.length() % 4) % 4);
        return JSON.readTree(new String(Base64.getDecoder().decode(padded), StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String query, String authorization) {
        return Http.get(jeton.baseUrl() + "/oauth2/token?" + query, authorization);
    }

    @Test
    void loginWhenScopesRequestedThenGrantedIsRequestedIntersectAllowed() throws Exception {
        String scopes = "repository:team-a/app:pull,push repository:localhost:5000/tools:pull,push,delete";
        AccessToken token = api("bob", "bob-password").getAcrAccessTokenFromLogin(SERVICE, scopes);
        JsonNode claims = strictPayload(token.getAccessToken());
        assertThat(claims.get("aud").isTextual()).isTrue();
        assertThat(claims.get("aud").asText()).isEqualTo(SERVICE);
        assertThat(claims.get("iss").asText()).isEqualTo(jeton.baseUrl());
        assertThat(claims.get("sub").asText()).isEqualTo("bob");
        assertThat(claims.get("exp").isIntegralNumber()).isTrue();
        assertThat(claims.get("access").toString()).isEqualTo("[{\"type\":\"repository\",\"name\":\"team-a/app\",\"actions\":[\"pull\"]},"
                + "{\"type\":\"repository\",\"name\":\"localhost:5000/tools\",\"actions\":[\"pull\",\"push\",\"delete\"]}]");
        SignedJWT jwt = SignedJWT.parse(token.getAccessToken());
        assertThat(jwt.getHeader().getKeyID()).matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}");
        assertThat(jwt.getHeader().getX509CertChain()).hasSize(1);

        // as docker and the ACR SDKs ask (account, api-version) and read (token, expires_in as a JSON number)
        JsonNode body = json(get("service=" + SERVICE + "&scope=" + encoded(scopes) + "&account=bob&api-version=2021-07-01",
                Http.basic("bob", "bob-password")));
        assertThat(body.get("token").asText()).isEqualTo(body.get("access_token").asText());
        assertThat(body.get("expires_in").isIntegralNumber()).isTrue();
        assertThat(body.get("expires_in").asInt()).isEqualTo(300);
        assertThat(strictPayload(body.get("access_token").asText()).get("access")).isEqualTo(claims.get("access"));
    }

    @Test
    void loginWhenNothingAllowedThenStill200WithNoActionsForTheScope() throws Exception {
        AccessToken token = api("alice", "alice-password").getAcrAccessTokenFromLogin(SERVICE, "repository:team-b/app:pull");
        assertThat(strictPayload(token.getAccessToken()).get("access").toString())
                .isEqualTo("[{\"type\":\"repository\",\"name\":\"team-b/app\",\"actions\":[]}]");
    }

    @Test
    void loginWhenScopesRepeatedThenAllConsidered() throws Exception {
        HttpResponse<String> res = get("service=" + SERVICE + "&scope=repository:team-a/x:pull&scope=repository:team-a/y:push",
                Http.basic("alice", "alice-password"));
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(strictPayload(JSON.readTree(res.body()).get("token").asText()).get("access")).hasSize(2);
    }

    @Test
    void loginWhenAppCredentialsThenCatalogToo() throws Exception {
        AccessToken token = api("ci-app", appSecret).getAcrAccessTokenFromLogin(SERVICE, "registry:catalog:*");
        assertThat(strictPayload(token.getAccessToken()).get("access").toString())
                .isEqualTo("[{\"type\":\"registry\",\"name\":\"catalog\",\"actions\":[\"*\"]}]");
    }

    @Test
    void loginWhenNoScopeLikeDockerLoginThenTokenWithNoAccess() throws Exception {
        // the ACR client's scope is required; docker login sends none
        JsonNode token = json(get("service=" + SERVICE, Http.basic("alice", "alice-password")));
        assertThat(strictPayload(token.get("access_token").asText()).get("access").size()).isZero();
    }

    @Test
    void anonymousWhenRepositoryIsPublicThenPullOnly() throws Exception {
        AccessToken token = api(null, null).getAcrAccessTokenFromLogin(SERVICE, "repository:public/base:pull,push");
        assertThat(strictPayload(token.getAccessToken()).get("access").toString())
                .isEqualTo("[{\"type\":\"repository\",\"name\":\"public/base\",\"actions\":[\"pull\"]}]");
        assertThat(strictPayload(token.getAccessToken()).get("sub").asText()).isEmpty();
    }

    @Test
    void anonymousWhenNothingPublicThen401WithChallenge() {
        HttpResponse<String> res = get("service=" + SERVICE + "&scope=repository:team-a/app:pull", null);
        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"" + jeton.baseUrl() + "/oauth2/token\"");
        assertThat(res.body()).isEqualTo("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
    }

    @Test
    void loginWhenPasswordWrongThen401() {
        HttpResponse<String> res = get("service=" + SERVICE, Http.basic("alice", "nope"));
        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.body()).contains("\"code\":\"UNAUTHORIZED\"");
    }

    @Test
    void offlineTokenThenRefreshTokenLogsInAsTheZeroGuidAndWorksRepeatedly() throws Exception {
        String refresh = json(get("service=" + SERVICE + "&offline_token=true", Http.basic("alice", "alice-password")))
                .get("refresh_token").asText();
        JsonNode refreshClaims = strictPayload(refresh);
        assertThat(refreshClaims.get("exp").isIntegralNumber()).isTrue();
        assertThat(refreshClaims.get("grant_type").asText()).isEqualTo("refresh_token");
        for (int i = 0; i < 2; i++) {
            AccessToken viaGuid = api(ZERO_GUID, refresh).getAcrAccessTokenFromLogin(SERVICE, "repository:team-a/app:push");
            assertThat(strictPayload(viaGuid.getAccessToken()).get("sub").asText()).isEqualTo("alice");
            AccessToken viaPost = api(null, null).getAcrAccessToken("refresh_token", SERVICE, "repository:team-a/app:pull", refresh);
            assertThat(strictPayload(viaPost.getAccessToken()).get("access").get(0).get("actions").get(0).asText()).isEqualTo("pull");
        }
        assertThat(jeton.wiring().admin().revocation().revokeAsAdmin(refresh)).isPresent();
        assertThat(Http.postForm(jeton.baseUrl() + "/oauth2/token", "grant_type=refresh_token&service=" + SERVICE + "&refresh_token="
                + refresh, null).statusCode()).isEqualTo(401);
    }

    @Test
    void passwordGrantWithOfflineAccessThenRefreshToken() throws Exception {
        JsonNode token = json(Http.postForm(jeton.baseUrl() + "/oauth2/token", "grant_type=password&service=" + SERVICE
                + "&scope=repository:team-a/app:pull&username=alice&password=alice-password&client_id=docker&access_type=offline", null));
        assertThat(token.get("refresh_token").asText()).isNotBlank();
        assertThat(token.get("scope").asText()).isEqualTo("repository:team-a/app:pull");
    }

    @Test
    void exchangeWhenJetonAccessTokenThenRegistryRefreshTokenForItsUser() throws Exception {
        String oidc = JSON.readTree(Http.postForm(jeton.baseUrl() + "/oidc/token",
                "grant_type=password&username=alice&password=alice-password", Http.basic("demo", jeton.demoSecret())).body())
                .get("access_token").asText();
        RefreshToken exchanged = api(null, null).getAcrRefreshTokenFromExchange("access_token", SERVICE, "any-tenant", null, oidc);
        AccessToken token = api(ZERO_GUID, exchanged.getRefreshToken()).getAcrAccessTokenFromLogin(SERVICE, "repository:team-a/app:push");
        assertThat(strictPayload(token.getAccessToken()).get("sub").asText()).isEqualTo("alice");
        assertThat(strictPayload(token.getAccessToken()).get("access")).hasSize(1);
    }

    @Test
    void exchangeWhenTokenIsForgedOrMissingThenClearErrors() {
        assertThatThrownBy(() -> api(null, null).getAcrRefreshTokenFromExchange("access_token", SERVICE, null, null, "a.b.c"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(401);
                    assertThat(e.getResponseBody()).contains("UNAUTHORIZED");
                });
        assertThatThrownBy(() -> api(null, null).getAcrRefreshTokenFromExchange("access_token", SERVICE, null, null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getResponseBody()).isEqualTo("{\"errors\":[{\"code\":\"INVALID_REQUEST\",\"message\":\"access_token is required\"}]}");
                });
        assertThatThrownBy(() -> api(null, null).getAcrRefreshTokenFromExchange("password", SERVICE, null, null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getResponseBody()).contains("UNSUPPORTED"));
    }

    @Test
    void badInputWhenMalformedThen400InTheRegistryShape() {
        assertThat(get("service=" + SERVICE + "&scope=repository", Http.basic("alice", "alice-password")).body())
                .startsWith("{\"errors\":[{\"code\":\"INVALID_REQUEST\",\"message\":\"invalid scope 'repository'");
        assertThat(get("scope=repository:a:pull", Http.basic("alice", "alice-password")).statusCode()).isEqualTo(400);
        assertThat(get("service=a&service=b", Http.basic("alice", "alice-password")).statusCode()).isEqualTo(400);
        assertThat(get("service=" + SERVICE, "Basic %%%").statusCode()).isEqualTo(401);
        HttpResponse<String> chunked = Http.send(HttpRequest.newBuilder(URI.create(jeton.baseUrl() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        ("grant_type=password&service=" + SERVICE + "&username=alice&password=alice-password").getBytes()))).build());
        assertThat(chunked.statusCode()).as("chunked POST without Content-Length").isEqualTo(200);
    }

    private static final String ZERO_GUID = "00000000-0000-0000-0000-000000000000";
    private static final String FORM = "application/x-www-form-urlencoded";

    /** One bad request: method, path with query, Authorization (built against the running Jeton), content type, body. */
    record Bad(String method, String path, Function<ForgedTokens, String> authorization, String contentType, byte[] body) {
        static Bad get(String query, Function<ForgedTokens, String> authorization) {
            return new Bad("GET", "/oauth2/token?" + query, authorization, null, null);
        }

        static Bad post(String path, String body) {
            return new Bad("POST", path, f -> null, FORM, body.getBytes(StandardCharsets.UTF_8));
        }

        static Bad refreshAsPassword(Function<ForgedTokens, String> token) {
            return get("service=" + SERVICE + "&scope=repository:team-a/app:pull", f -> Http.basic(ZERO_GUID, token.apply(f)));
        }
    }

    static Stream<Arguments> badRequests() {
        Function<ForgedTokens, String> alice = f -> Http.basic("alice", "alice-password");
        String exchange = "/oauth2/exchange";
        return Stream.of(
                // GET /oauth2/token: parameters
                Arguments.of("no service", Bad.get("scope=repository:a:pull", alice), 400, "INVALID_REQUEST"),
                Arguments.of("empty service", Bad.get("service=&scope=repository:a:pull", alice), 400, "INVALID_REQUEST"),
                Arguments.of("service twice", Bad.get("service=a&service=b", alice), 400, "INVALID_REQUEST"),
                Arguments.of("scope without actions part", Bad.get("service=" + SERVICE + "&scope=repository:app", alice), 400, "INVALID_REQUEST"),
                Arguments.of("scope type with a slash", Bad.get("service=" + SERVICE + "&scope=team/app:x:pull", alice), 400, "INVALID_REQUEST"),
                Arguments.of("scope with an empty class", Bad.get("service=" + SERVICE + "&scope=repository():app:pull", alice), 400, "INVALID_REQUEST"),
                Arguments.of("scope with an unclosed class", Bad.get("service=" + SERVICE + "&scope=repository(plugin:app:pull", alice), 400, "INVALID_REQUEST"),
                Arguments.of("scope with an empty name", Bad.get("service=" + SERVICE + "&scope=repository::pull", alice), 400, "INVALID_REQUEST"),
                Arguments.of("bad scope among good ones, POST", Bad.post("/oauth2/token", "grant_type=password&service=" + SERVICE
                        + "&username=alice&password=alice-password&scope=repository:a:pull+registry&scope=repository:b:pull"), 400, "INVALID_REQUEST"),
                Arguments.of("65 scopes", Bad.get("service=" + SERVICE + "&scope=" + "repository:a:pull+".repeat(65), alice), 400, "INVALID_REQUEST"),
                Arguments.of("scope with invalid UTF-8", Bad.get("service=" + SERVICE + "&scope=repository:%C3%28:pull", alice), 400, "INVALID_REQUEST"),
                // bad Basic headers
                Arguments.of("Basic without colon", Bad.get("service=" + SERVICE, f -> "Basic YWxpY2U="), 401, "UNAUTHORIZED"),
                Arguments.of("Basic not base64", Bad.get("service=" + SERVICE, f -> "Basic %%%"), 401, "UNAUTHORIZED"),
                Arguments.of("Basic empty", Bad.get("service=" + SERVICE, f -> "Basic "), 401, "UNAUTHORIZED"),
                Arguments.of("Basic of invalid UTF-8", Bad.get("service=" + SERVICE, f -> "Basic //79"), 401, "UNAUTHORIZED"),
                Arguments.of("Basic of 12 KB", Bad.get("service=" + SERVICE, f -> Http.basic("alice", "p".repeat(12_000))), 401, "UNAUTHORIZED"),
                Arguments.of("Basic with an empty password", Bad.get("service=" + SERVICE, f -> Http.basic("alice", "")), 401, "UNAUTHORIZED"),
                Arguments.of("Bearer and nothing public", Bad.get("service=" + SERVICE + "&scope=repository:team-a/app:pull", f -> "Bearer x"), 401, "UNAUTHORIZED"),
                // the zero GUID with a refresh token that is not one
                Arguments.of("refresh token: garbage", Bad.refreshAsPassword(f -> "garbage"), 401, "UNAUTHORIZED"),
                Arguments.of("refresh token: payload not JSON", Bad.refreshAsPassword(f -> ForgedTokens.malformed()), 401, "UNAUTHORIZED"),
                Arguments.of("refresh token: encrypted shape", Bad.refreshAsPassword(f -> ForgedTokens.encryptedShape()), 401, "UNAUTHORIZED"),
                Arguments.of("refresh token: an access token", Bad.refreshAsPassword(f -> f.signed(f.claims("alice", "alice"))), 401, "UNAUTHORIZED"),
                Arguments.of("refresh token: expired", Bad.refreshAsPassword(f -> f.expired("alice", "alice")), 401, "UNAUTHORIZED"),
                Arguments.of("refresh token: alg none", Bad.refreshAsPassword(f -> f.algNone("alice", "alice")), 401, "UNAUTHORIZED"),
                Arguments.of("refresh token: wrongly signed", Bad.refreshAsPassword(f -> f.wronglySigned("alice", "alice")), 401, "UNAUTHORIZED"),
                // the zero GUID with docker login's identity token, after what ends one
                Arguments.of("identity token: password changed since login", Bad.refreshAsPassword(f -> identityTokenThen("pw-changed",
                        name -> jeton.wiring().admin().accounts().setPassword(name, new Secret("another-password")))), 401, "UNAUTHORIZED"),
                Arguments.of("identity token: user disabled", Bad.refreshAsPassword(f -> identityTokenThen("disabled",
                        name -> jeton.wiring().admin().accounts().setUserDisabled(name, true))), 401, "UNAUTHORIZED"),
                // POST /oauth2/token
                Arguments.of("POST with a JSON body", new Bad("POST", "/oauth2/token", f -> null, "application/json",
                        "{\"grant_type\":\"password\"}".getBytes(StandardCharsets.UTF_8)), 400, "INVALID_REQUEST"),
                Arguments.of("POST without content type", new Bad("POST", "/oauth2/token", f -> null, null, "grant_type=password".getBytes(StandardCharsets.UTF_8)), 400, "INVALID_REQUEST"),
                Arguments.of("POST with a malformed content type", new Bad("POST", "/oauth2/token", f -> null, "a/b/c;;", "grant_type=password".getBytes(StandardCharsets.UTF_8)), 400, "INVALID_REQUEST"),
                Arguments.of("POST unknown grant_type", Bad.post("/oauth2/token", "grant_type=client_credentials&service=" + SERVICE), 400, "UNSUPPORTED"),
                Arguments.of("POST grant_type twice", Bad.post("/oauth2/token", "grant_type=password&grant_type=password&service=" + SERVICE), 400, "INVALID_REQUEST"),
                Arguments.of("POST refresh_token missing", Bad.post("/oauth2/token", "grant_type=refresh_token&service=" + SERVICE), 400, "INVALID_REQUEST"),
                Arguments.of("POST refresh_token garbage", Bad.post("/oauth2/token", "grant_type=refresh_token&service=" + SERVICE + "&refresh_token=x"), 401, "UNAUTHORIZED"),
                Arguments.of("POST wrong password", Bad.post("/oauth2/token", "grant_type=password&service=" + SERVICE + "&username=alice&password=nope"), 401, "UNAUTHORIZED"),
                Arguments.of("POST bad percent-encoding", Bad.post("/oauth2/token", "grant_type=password&service=%ZZ"), 400, "INVALID_REQUEST"),
                Arguments.of("POST raw invalid UTF-8", new Bad("POST", "/oauth2/token", f -> null, FORM, new byte[]{'s', 'e', 'r', 'v', 'i', 'c', 'e', '=', (byte) 0xFF}), 400, "INVALID_REQUEST"),
                Arguments.of("POST body too large", Bad.post("/oauth2/token", "grant_type=password&scope=" + "a".repeat(70_000)), 413, "SIZE_INVALID"),
                // POST /oauth2/exchange
                Arguments.of("exchange without grant_type", Bad.post(exchange, "service=" + SERVICE + "&access_token=x"), 400, "INVALID_REQUEST"),
                Arguments.of("exchange unknown grant_type", Bad.post(exchange, "grant_type=password&service=" + SERVICE), 400, "UNSUPPORTED"),
                Arguments.of("exchange without service", Bad.post(exchange, "grant_type=access_token&access_token=x"), 400, "INVALID_REQUEST"),
                Arguments.of("exchange access_token twice", Bad.post(exchange, "grant_type=access_token&service=" + SERVICE + "&access_token=a&access_token=b"), 400, "INVALID_REQUEST"),
                Arguments.of("exchange without refresh_token", Bad.post(exchange, "grant_type=access_token_refresh_token&service=" + SERVICE + "&access_token=x"), 400, "INVALID_REQUEST"),
                Arguments.of("exchange with a JSON body", new Bad("POST", exchange, f -> null, "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 400, "INVALID_REQUEST"));
    }

    /** The presented token of {@code /oauth2/exchange} for each kind of forgery, as access_token and as refresh_token. */
    static Stream<Arguments> badExchangeTokens() {
        return Stream.of(
                Arguments.of("garbage", (Function<ForgedTokens, String>) f -> "x.y.z"),
                Arguments.of("payload not JSON", (Function<ForgedTokens, String>) f -> ForgedTokens.malformed()),
                Arguments.of("encrypted JWT shape", (Function<ForgedTokens, String>) f -> ForgedTokens.encryptedShape()),
                Arguments.of("expired", (Function<ForgedTokens, String>) f -> f.expired(aliceId(), "alice")),
                Arguments.of("not yet valid", (Function<ForgedTokens, String>) f -> f.notYetValid(aliceId(), "alice")),
                Arguments.of("wrongly signed under our kid", (Function<ForgedTokens, String>) f -> f.wronglySigned(aliceId(), "alice")),
                Arguments.of("alg none", (Function<ForgedTokens, String>) f -> f.algNone(aliceId(), "alice")),
                Arguments.of("HS256 keyed with our JWKS", (Function<ForgedTokens, String>) f -> f.hmacWithPublicKeys(aliceId(), "alice")),
                Arguments.of("untrusted issuer", (Function<ForgedTokens, String>) f -> f.otherIssuer(aliceId(), "alice")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void requestWhenBadThenRegistryErrorShape(String name, Bad bad, int status, String code) throws Exception {
        assertRegistryError(send(bad), status, code);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badExchangeTokens")
    void exchangeWhenTokenIsBadThen401Unauthorized(String name, Function<ForgedTokens, String> token) throws Exception {
        String forged = token.apply(forge());
        assertRegistryError(send(Bad.post("/oauth2/exchange", "grant_type=access_token&service=" + SERVICE + "&access_token=" + forged)),
                401, "UNAUTHORIZED");
        assertRegistryError(send(Bad.post("/oauth2/exchange", "grant_type=refresh_token&service=" + SERVICE + "&refresh_token=" + forged)),
                401, "UNAUTHORIZED");
        // With a good access token the refresh token is verified too, not only required.
        String access = JSON.readTree(Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=password&username=alice&password=alice-password",
                Http.basic("demo", jeton.demoSecret())).body()).get("access_token").asText();
        assertRegistryError(send(Bad.post("/oauth2/exchange", "grant_type=access_token_refresh_token&service=" + SERVICE
                + "&access_token=" + access + "&refresh_token=" + forged)), 401, "UNAUTHORIZED");
    }

    /** A new user's identity token from a login as docker's (offline_token=true), after {@code then} ran on the user's name. */
    private static String identityTokenThen(String name, java.util.function.Consumer<String> then) {
        String user = name + "-" + System.nanoTime();
        jeton.wiring().admin().accounts().addUser(user, new Secret("user-password"), List.of("team-a"));
        HttpResponse<String> login = get("account=" + user + "&client_id=docker&offline_token=true&service=" + SERVICE,
                Http.basic(user, "user-password"));
        try {
            String token = JSON.readTree(login.body()).get("refresh_token").asText();
            then.accept(user);
            return token;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(Bad bad) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jeton.baseUrl() + bad.path())).method(bad.method(),
                bad.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bad.body()));
        if (bad.contentType() != null) b.header("Content-Type", bad.contentType());
        String authorization = bad.authorization().apply(forge());
        if (authorization != null) b.header("Authorization", authorization);
        return Http.send(b.build());
    }

    private static void assertRegistryError(HttpResponse<String> res, int status, String code) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode errors = JSON.readTree(res.body()).get("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("code").asText()).isEqualTo(code);
        assertThat(errors.get(0).get("message").asText()).isNotBlank().doesNotContain("Exception").hasSizeLessThan(200);
        assertThat(res.body()).doesNotContain("alice-password").doesNotContain(appSecret);
        if (status == 401) {
            assertThat(res.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"" + jeton.baseUrl() + "/oauth2/token\"");
        }
    }

    private static ForgedTokens forge() { return new ForgedTokens(jeton.wiring().admin().keys(), jeton.wiring().issuer()); }

    private static String aliceId() {
        return jeton.wiring().admin().accounts().users().stream().filter(u -> u.name().equals("alice")).findFirst().orElseThrow().id();
    }
}
