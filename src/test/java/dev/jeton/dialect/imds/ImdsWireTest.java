package dev.jeton.dialect.imds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.jeton.client.imds.ApiClient;
import dev.jeton.client.imds.ApiException;
import dev.jeton.client.imds.api.GetTokenApi;
import dev.jeton.client.imds.model.IdentityTokenResponse;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import dev.jeton.support.ResourceServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The IMDS listener on the wire: the generated client, exact error bodies, cache, coalescing, limits. */
class ImdsWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARM = "https://management.azure.com/";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static ManagedIdentity system;
    static ManagedIdentity app;
    static ManagedIdentity elsewhere;
    static GetTokenApi imds;

    @BeforeAll
    static void start() {
        // The functional tests here send more than IMDS's 20 requests a second; the limit itself
        // is tested on an instance of its own with the defaults.
        jeton = Jetons.start(dir, java.time.Clock.systemUTC(), java.util.Map.of(dev.jeton.config.Setting.IMDS_RATE, "1000",
                dev.jeton.config.Setting.IMDS_CONCURRENCY, "100"));
        var identities = jeton.wiring().admin().identities();
        system = identities.add("vm-identity", "72f988bf-86f1-41af-91ab-2d7cd011db47", null, "test-node");
        app = identities.add("app-identity", "72f988bf-86f1-41af-91ab-2d7cd011db47", null, null);
        identities.assign("app-identity", "test-node");
        elsewhere = identities.add("elsewhere", null, null, null);
        identities.assign("elsewhere", "other-node");
        jeton.wiring().admin().rules().add("identity:app-identity", "team/*", Set.of("pull"));
        ApiClient client = new ApiClient();
        client.updateBaseUri(jeton.imdsUrl() + "/metadata");
        imds = new GetTokenApi(client);
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static JWTClaimsSet verifyAsResourceServer(String token, String tenant, String audience) throws Exception {
        JsonNode discovery = JSON.readTree(Http.get(jeton.baseUrl() + "/" + tenant + "/.well-known/openid-configuration", null).body());
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                ResourceServer.jwks(discovery.get("jwks_uri").asText()).build()));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(discovery.get("issuer").asText()).build(), Set.of("exp", "tid", "oid")));
        return p.process(token, null);
    }

    private static HttpResponse<String> raw(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jeton.imdsUrl() + path));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return Http.send(b.build());
    }

    @Test
    void tokenWhenNoSelectorThenTheNodesSystemAssignedIdentityWithEntraClaims() throws Exception {
        IdentityTokenResponse r = imds.identityGetToken("true", ARM, "2018-02-01", null, null, null, null, null);
        assertThat(r.getTokenType()).isEqualTo("Bearer");
        assertThat(r.getResource()).isEqualTo(ARM);
        assertThat(r.getClientId()).isEqualTo(system.clientId());
        // IMDS sends refresh_token, empty; imds.json's IdentityTokenResponse (the generated model) has no such field
        JsonNode sent = JSON.readTree(raw("/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" + ARM, "Metadata", "true").body());
        assertThat(sent.path("refresh_token").isTextual()).isTrue();
        assertThat(sent.get("refresh_token").asText()).isEmpty();
        assertThat(Long.parseLong(r.getExpiresOn()) - Long.parseLong(r.getNotBefore())).isEqualTo(3600);
        assertThat(Long.parseLong(r.getExpiresIn())).isBetween(3590L, 3600L);
        assertThat(r.getObjectId()).isNull();
        JWTClaimsSet claims = verifyAsResourceServer(r.getAccessToken(), system.tenantId(), ARM);
        assertThat(claims.getStringClaim("oid")).isEqualTo(system.objectId());
        assertThat(claims.getStringClaim("appid")).isEqualTo(system.clientId());
        assertThat(claims.getStringClaim("xms_mirid")).isEqualTo(system.resourceId());
        assertThat(claims.getIssuer()).isEqualTo(jeton.baseUrl() + "/" + system.tenantId());
    }

    @ParameterizedTest
    @CsvSource({"client_id", "object_id", "msi_res_id", "mi_res_id"})
    void tokenWhenUserAssignedIdentityNamedThenItsTokenWithItsIds(String selector) throws Exception {
        String value = switch (selector) {
            case "client_id" -> app.clientId();
            case "object_id" -> app.objectId();
            default -> app.resourceId();
        };
        HttpResponse<String> res = raw("/metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://x&" + selector + "="
                + value, "Metadata", "true");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(res.body());
        body.fields().forEachRemaining(f -> assertThat(f.getValue().isTextual()).as(f.getKey()).isTrue());
        assertThat(body.get("object_id").asText()).isEqualTo(app.objectId());
        assertThat(body.get("msi_res_id").asText()).isEqualTo(app.resourceId());
        assertThat(verifyAsResourceServer(body.get("access_token").asText(), app.tenantId(), "api://x").getStringClaim("oid"))
                .isEqualTo(app.objectId());
    }

    @Test
    void tokenWhenDoubledLeadingSlashThenServedLikeTheAzureSdkExpects() {
        HttpResponse<String> res = raw("//metadata/identity/oauth2/token?api-version=2018-02-01&resource=" + ARM, "Metadata", "true");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }

    @Test
    void tokenWhenAskedTwiceThenCachedAndBypassCacheMintsAnew() throws Exception {
        String first = imds.identityGetToken("true", "api://cache", "2018-02-01", null, null, null, null, null).getAccessToken();
        String second = imds.identityGetToken("true", "api://cache", "2018-02-01", null, null, null, null, null).getAccessToken();
        String bypassed = imds.identityGetToken("true", "api://cache", "2023-07-01", null, null, null, null, "true").getAccessToken();
        assertThat(second).isEqualTo(first);
        assertThat(bypassed).isNotEqualTo(first);
        assertThat(imds.identityGetToken("true", "api://cache", "2018-02-01", null, null, null, null, null).getAccessToken())
                .isEqualTo(bypassed);
    }

    @Test
    void tokenWhenManyAskAtOnceForTheSamePairThenOneMint() throws Exception {
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(() -> imds.identityGetToken("true", "api://burst", "2018-02-01", null, null, null, null, null).getAccessToken());
        }
        Set<String> tokens = new HashSet<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(5)) {
            for (Future<String> f : pool.invokeAll(calls)) tokens.add(f.get());
        }
        assertThat(tokens).hasSize(1);
    }

    @Test
    void chainWhenImdsTokenExchangedThenRegistryRefreshAndAccessTokenForTheIdentity() throws Exception {
        String imdsToken = imds.identityGetToken("true", "https://containerregistry.azure.net", "2018-02-01", app.clientId(), null,
                null, null, null).getAccessToken();
        HttpResponse<String> exchanged = Http.postForm(jeton.baseUrl() + "/oauth2/exchange", "grant_type=access_token&service=reg"
                + "&tenant=" + app.tenantId() + "&access_token=" + imdsToken, null);
        assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
        String refresh = JSON.readTree(exchanged.body()).get("refresh_token").asText();
        HttpResponse<String> access = Http.postForm(jeton.baseUrl() + "/oauth2/token",
                "grant_type=refresh_token&service=reg&scope=repository:team/app:pull,push&refresh_token=" + refresh, null);
        JsonNode token = JSON.readTree(access.body());
        JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.get("access_token").asText().split("\\.")[1]));
        assertThat(claims.get("sub").asText()).isEqualTo("app-identity");
        assertThat(claims.get("access").toString()).isEqualTo("[{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[\"pull\"]}]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no Metadata header|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x||400|invalid_request|Required metadata header not specified",
            "Metadata false|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x|false|400|invalid_request|Required metadata header not specified",
            "no resource|/metadata/identity/oauth2/token?api-version=2018-02-01|true|400|invalid_request|Required audience parameter not specified",
            "no api-version|/metadata/identity/oauth2/token?resource=x|true|400|invalid_request|Required api-version parameter not specified",
            "unknown api-version|/metadata/identity/oauth2/token?api-version=1999-01-01&resource=x|true|400|invalid_request|Invalid api-version 1999-01-01",
            "parameter twice|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x&resource=y|true|400|invalid_request|parameter 'resource' was sent more than once",
            "two selectors|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x&client_id=a&object_id=b|true|400|invalid_request|Only one of client_id, object_id and msi_res_id may be given",
            "unknown identity|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x&client_id=nope|true|400|invalid_request|Identity not found",
            "other path|/metadata/instance?api-version=2021-02-01|true|404|not_found|no such IMDS endpoint",
            "Metadata empty|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x|''|400|invalid_request|Required metadata header not specified",
            "Metadata yes|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x|yes|400|invalid_request|Required metadata header not specified",
            "empty resource|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=|true|400|invalid_request|Required audience parameter not specified",
            "empty api-version|/metadata/identity/oauth2/token?api-version=&resource=x|true|400|invalid_request|Required api-version parameter not specified",
            "api-version twice|/metadata/identity/oauth2/token?api-version=2018-02-01&api-version=2018-02-01&resource=x|true|400|invalid_request|parameter 'api-version' was sent more than once",
            "client_id twice|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x&client_id=a&client_id=a|true|400|invalid_request|parameter 'client_id' was sent more than once",
            "msi_res_id and mi_res_id|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x&msi_res_id=a&mi_res_id=a|true|400|invalid_request|Only one of client_id, object_id and msi_res_id may be given",
            "oversized api-version|/metadata/identity/oauth2/token?api-version=2018-02-01-2018-02-01-2018-02-01-2018-02-01&resource=x|true|400|invalid_request|Invalid api-version 2018-02-01-2018-02-01-2018-02-01...",
            "resource over 1024|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=RESOURCE_2000|true|400|invalid_request|resource is too long",
            "resource of invalid UTF-8|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=%C3%28|true|400|invalid_request|form data is not valid UTF-8",
            "percent-encoded lone byte|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=%FF|true|400|invalid_request|form data is not valid UTF-8",
            "identity of another node|/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x&object_id=OTHER_NODE|true|400|invalid_request|Identity not found"})
    void requestWhenInvalidThenImdsErrorShape(String name, String path, String metadata, int status, String error, String description)
            throws Exception {
        path = path.replace("RESOURCE_2000", "r".repeat(2000)).replace("OTHER_NODE", elsewhere.objectId());
        HttpResponse<String> res = metadata == null ? raw(path) : raw(path, "Metadata", metadata);
        assertThat(res.statusCode()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(res.body()).isEqualTo("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "POST|POST|Metadata|true|405|method_not_allowed|use GET",
            "DELETE|DELETE|Metadata|true|405|method_not_allowed|use GET",
            "through a proxy|GET|X-Forwarded-For|10.0.0.1|400|invalid_request|Request came through a proxy (X-Forwarded-For); IMDS answers the node only"})
    void requestWhenWrongMethodOrProxiedThenImdsErrorShape(String name, String method, String header, String value, int status, String error,
                                                           String description) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jeton.imdsUrl() + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x"))
                .method(method, HttpRequest.BodyPublishers.ofString("x".repeat(100))).header("Metadata", "true").header(header, value);
        HttpResponse<String> res = Http.send(b.build());
        assertThat(res.statusCode()).isEqualTo(status);
        assertThat(res.body()).isEqualTo("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
    }

    @Test
    void identityOfAnotherNodeWhenNamedThenIdentityNotFound() {
        assertThatThrownBy(() -> imds.identityGetToken("true", ARM, "2018-02-01", elsewhere.clientId(), null, null, null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getResponseBody()).contains("Identity not found");
                });
    }

    @Test
    void metricsWhenImdsIssuesAndRefusesThenBothCounted() throws Exception {
        imds.identityGetToken("true", "api://metrics", "2018-02-01", null, null, null, null, null);
        raw("/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x&client_id=nope", "Metadata", "true");
        String metrics = Http.get(jeton.baseUrl() + "/metrics", null).body();
        assertThat(metrics).contains("jeton_tokens_total{dialect=\"imds\",grant=\"managed_identity\",outcome=\"issued\"}")
                .contains("jeton_tokens_total{dialect=\"imds\",grant=\"managed_identity\",outcome=\"invalid_request\"}");
    }

    @Test
    void proxiedRequestWhenForwardedThenRefused() {
        HttpResponse<String> res = raw("/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x", "Metadata", "true",
                "X-Forwarded-For", "10.0.0.1");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).contains("proxy");
    }

    @Test
    void postWhenSentThen405() {
        HttpResponse<String> res = Http.send(HttpRequest.newBuilder(URI.create(jeton.imdsUrl() + "/metadata/identity/oauth2/token"))
                .header("Metadata", "true").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(res.statusCode()).isEqualTo(405);
        assertThat(res.body()).contains("method_not_allowed");
    }

    @Test
    void publicListenerWhenAskedForImdsThenDoesNotServeIt() {
        assertThat(Http.get(jeton.baseUrl() + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x", null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void rateWhenTheTwentyFirstRequestComesWithinOneSecondThen429UntilTheClockMoves(@TempDir Path own) {
        // An instance of its own, with the default 20 per second, on a clock that stands still.
        MutableClock clock = MutableClock.startingNow();
        try (Jetons.Running limited = Jetons.start(own, clock, java.util.Map.of())) {
            java.util.function.Supplier<HttpResponse<String>> ask = () -> Http.send(HttpRequest.newBuilder(URI.create(limited.imdsUrl()
                    + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://rate")).header("Metadata", "true").build());
            for (int i = 0; i < 20; i++) assertThat(ask.get().statusCode()).as("request %d", i + 1).isNotEqualTo(429);
            HttpResponse<String> refused = ask.get();
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).isEqualTo("{\"error\":\"too_many_requests\",\"error_description\":\"Too many requests\"}");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            // One request's worth of time (50 ms) lets exactly one more through.
            clock.advance(java.time.Duration.ofMillis(50));
            assertThat(ask.get().statusCode()).isNotEqualTo(429);
            assertThat(ask.get().statusCode()).isEqualTo(429);
        }
    }

    @Test
    void metadataProbeWhenRawSocketThenAnsweredAtOnce() throws Exception {
        try (Socket s = new Socket("127.0.0.1", jeton.wiring().imdsPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET //metadata/identity/oauth2/token?api-version=2018-02-01&resource=x HTTP/1.1\r\nHost: 169.254.169.254\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder response = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (!response.toString().contains("Required metadata header not specified")) {
                int n = in.read(buffer);
                if (n < 0) break;
                response.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            }
            assertThat(response.toString()).startsWith("HTTP/1.1 400").contains("Required metadata header not specified");
        }
    }
}
