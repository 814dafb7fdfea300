package dev.jeton.dialect.occam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.config.Setting;
import dev.jeton.model.Secret;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** FastAPI's exact 422 bodies, the multipart form, expiry, and the lenient reuse policy, over raw HTTP. */
class OccamValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static MutableClock clock = MutableClock.startingNow();
    static Jetons.Running jeton;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir, clock, Map.of());
        jeton.wiring().admin().accounts().addUser("ada@example.com", new Secret("correct-horse-battery"), List.of());
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static HttpResponse<String> send(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jeton.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return Http.send(b.build());
    }

    static Stream<Arguments> invalid() {
        String form = "application/x-www-form-urlencoded";
        String missingUser = "{\"type\":\"missing\",\"loc\":[\"body\",\"username\"],\"msg\":\"Field required\",\"input\":null}";
        String missingPassword = "{\"type\":\"missing\",\"loc\":[\"body\",\"password\"],\"msg\":\"Field required\",\"input\":null}";
        return Stream.of(
                Arguments.of("missing username", "POST", "/auth/access-token", form, "password=x",
                        "{\"detail\":[" + missingUser + "]}"),
                Arguments.of("empty username counts as missing", "POST", "/auth/access-token", form, "username=&password=x",
                        "{\"detail\":[" + missingUser + "]}"),
                Arguments.of("every field at once", "POST", "/auth/access-token", form, "grant_type=client_credentials",
                        "{\"detail\":[{\"type\":\"string_pattern_mismatch\",\"loc\":[\"body\",\"grant_type\"],"
                                + "\"msg\":\"String should match pattern '^password$'\",\"input\":\"client_credentials\","
                                + "\"ctx\":{\"pattern\":\"^password$\"}}," + missingUser + "," + missingPassword + "]}"),
                Arguments.of("JSON instead of a form", "POST", "/auth/access-token", "application/json",
                        "{\"username\":\"a\",\"password\":\"b\"}", "{\"detail\":[" + missingUser + "," + missingPassword + "]}"),
                Arguments.of("no content type", "POST", "/auth/access-token", null, "username=a&password=b",
                        "{\"detail\":[" + missingUser + "," + missingPassword + "]}"),
                Arguments.of("refresh with a form body", "POST", "/auth/refresh-token", form, "refresh_token=abc",
                        "{\"detail\":[{\"type\":\"model_attributes_type\",\"loc\":[\"body\"],\"msg\":\"Input should be a valid "
                                + "dictionary or object to extract fields from\",\"input\":\"refresh_token=abc\"}]}"),
                Arguments.of("refresh without a body", "POST", "/auth/refresh-token", "application/json", null,
                        "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\"],\"msg\":\"Field required\",\"input\":null}]}"),
                Arguments.of("refresh without the field", "POST", "/auth/refresh-token", "application/json", "{\"token\":\"x\"}",
                        "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"refresh_token\"],\"msg\":\"Field required\","
                                + "\"input\":{\"token\":\"x\"}}]}"),
                Arguments.of("refresh token not a string", "POST", "/auth/refresh-token", "application/json", "{\"refresh_token\":5}",
                        "{\"detail\":[{\"type\":\"string_type\",\"loc\":[\"body\",\"refresh_token\"],\"msg\":\"Input should be a "
                                + "valid string\",\"input\":5}]}"),
                Arguments.of("refresh with broken JSON", "POST", "/auth/refresh-token", "application/json", "{\"refresh_token\":",
                        "{\"detail\":[{\"type\":\"json_invalid\",\"loc\":[\"body\",17],\"msg\":\"JSON decode error\",\"input\":{},"
                                + "\"ctx\":{\"error\":\"Expecting value\"}}]}"),
                Arguments.of("refresh token null", "POST", "/auth/refresh-token", "application/json", "{\"refresh_token\":null}",
                        "{\"detail\":[{\"type\":\"string_type\",\"loc\":[\"body\",\"refresh_token\"],\"msg\":\"Input should be a "
                                + "valid string\",\"input\":null}]}"),
                Arguments.of("refresh token an array", "POST", "/auth/refresh-token", "application/json", "{\"refresh_token\":[\"a\"]}",
                        "{\"detail\":[{\"type\":\"string_type\",\"loc\":[\"body\",\"refresh_token\"],\"msg\":\"Input should be a "
                                + "valid string\",\"input\":[\"a\"]}]}"),
                Arguments.of("refresh body a JSON array", "POST", "/auth/refresh-token", "application/json", "[\"x\"]",
                        "{\"detail\":[{\"type\":\"model_attributes_type\",\"loc\":[\"body\"],\"msg\":\"Input should be a valid "
                                + "dictionary or object to extract fields from\",\"input\":[\"x\"]}]}"),
                // FastAPI reads a JSON null body as no body at all
                Arguments.of("refresh body JSON null", "POST", "/auth/refresh-token", "application/json", "null",
                        "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\"],\"msg\":\"Field required\",\"input\":null}]}"),
                Arguments.of("refresh body a JSON string", "POST", "/auth/refresh-token", "application/json", "\"abc\"",
                        notAnObject("\"abc\"")),
                Arguments.of("refresh body a JSON number", "POST", "/auth/refresh-token", "application/json", "5", notAnObject("5")),
                Arguments.of("refresh body JSON true", "POST", "/auth/refresh-token", "application/json", "true", notAnObject("true")),
                Arguments.of("refresh token a float", "POST", "/auth/refresh-token", "application/json", "{\"refresh_token\":1.5}",
                        notAString("1.5")),
                Arguments.of("refresh token true", "POST", "/auth/refresh-token", "application/json", "{\"refresh_token\":true}",
                        notAString("true")),
                Arguments.of("refresh token an object", "POST", "/auth/refresh-token", "application/json", "{\"refresh_token\":{\"a\":1}}",
                        notAString("{\"a\":1}")),
                // which Content-Type makes FastAPI parse JSON: application/json and application/*+json only
                Arguments.of("refresh without a content type", "POST", "/auth/refresh-token", null, "{\"token\":\"x\"}",
                        notAnObject("\"{\\\"token\\\":\\\"x\\\"}\"")),
                Arguments.of("refresh as text/json", "POST", "/auth/refresh-token", "text/json", "{\"token\":\"x\"}",
                        notAnObject("\"{\\\"token\\\":\\\"x\\\"}\"")),
                Arguments.of("refresh with a malformed content type", "POST", "/auth/refresh-token", "application/json/x", "{\"token\":\"x\"}",
                        notAnObject("\"{\\\"token\\\":\\\"x\\\"}\"")),
                Arguments.of("refresh as application/merge-patch+json", "POST", "/auth/refresh-token", "application/merge-patch+json",
                        "{\"token\":\"x\"}", missingToken("{\"token\":\"x\"}")),
                Arguments.of("refresh as JSON in capitals with a charset", "POST", "/auth/refresh-token", "Application/JSON; charset=utf-8",
                        "{\"token\":\"x\"}", missingToken("{\"token\":\"x\"}")),
                Arguments.of("refresh body with a byte order mark", "POST", "/auth/refresh-token", "application/json",
                        "\uFEFF{\"token\":\"x\"}", missingToken("{\"token\":\"x\"}")),
                // Python's json module names the fault and its position
                Arguments.of("refresh body only whitespace", "POST", "/auth/refresh-token", "application/json", " ",
                        jsonInvalid(1, "Expecting value")),
                Arguments.of("refresh body with trailing content", "POST", "/auth/refresh-token", "application/json",
                        "{\"refresh_token\":\"abc\"} junk", jsonInvalid(24, "Extra data")),
                Arguments.of("refresh body with single quotes", "POST", "/auth/refresh-token", "application/json",
                        "{'refresh_token':'abc'}", jsonInvalid(1, "Expecting property name enclosed in double quotes")),
                Arguments.of("refresh body with a trailing comma", "POST", "/auth/refresh-token", "application/json",
                        "{\"refresh_token\":\"abc\",}", jsonInvalid(22, "Illegal trailing comma before end of object")),
                Arguments.of("refresh token unterminated", "POST", "/auth/refresh-token", "application/json",
                        "{\"refresh_token\":\"abc", jsonInvalid(17, "Unterminated string starting at")),
                Arguments.of("refresh token with a raw newline", "POST", "/auth/refresh-token", "application/json",
                        "{\"refresh_token\":\"a\nb\"}", jsonInvalid(19, "Invalid control character at")),
                Arguments.of("key missing", "GET", "/auth/access-token", null, null,
                        "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"query\",\"key\"],\"msg\":\"Field required\",\"input\":null}]}"));
    }

    private static String notAnObject(String input) {
        return "{\"detail\":[{\"type\":\"model_attributes_type\",\"loc\":[\"body\"],\"msg\":\"Input should be a valid "
                + "dictionary or object to extract fields from\",\"input\":" + input + "}]}";
    }

    private static String notAString(String input) {
        return "{\"detail\":[{\"type\":\"string_type\",\"loc\":[\"body\",\"refresh_token\"],\"msg\":\"Input should be a "
                + "valid string\",\"input\":" + input + "}]}";
    }

    private static String missingToken(String input) {
        return "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"refresh_token\"],\"msg\":\"Field required\","
                + "\"input\":" + input + "}]}";
    }

    private static String jsonInvalid(int position, String error) {
        return "{\"detail\":[{\"type\":\"json_invalid\",\"loc\":[\"body\"," + position + "],\"msg\":\"JSON decode error\","
                + "\"input\":{},\"ctx\":{\"error\":\"" + error + "\"}}]}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void requestWhenInvalidThen422InFastApisShape(String name, String method, String path, String type, String body, String expected) {
        HttpResponse<String> res = send(method, path, type, body);
        assertThat(res.statusCode()).isEqualTo(422);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(res.body()).isEqualTo(expected);
    }

    static Stream<Arguments> refused() {
        String form = "application/x-www-form-urlencoded";
        String json = "application/json";
        String login = "/auth/access-token";
        String refresh = "/auth/refresh-token";
        String part = "--b\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nada@example.com\r\n";
        return Stream.of(
                Arguments.of("wrong password", "POST", login, form, "username=ada%40example.com&password=wrong-horse", 400,
                        "{\"detail\":\"Incorrect email or password\"}"),
                Arguments.of("unknown user", "POST", login, form, "username=nobody%40example.com&password=wrong-horse", 400,
                        "{\"detail\":\"Incorrect email or password\"}"),
                Arguments.of("oversized password", "POST", login, form, "username=ada%40example.com&password=" + "p".repeat(20_000), 400,
                        "{\"detail\":\"Incorrect email or password\"}"),
                Arguments.of("bad percent-encoding", "POST", login, form, "username=ada%4&password=x", 400,
                        "{\"detail\":\"malformed percent-encoding in form data\"}"),
                Arguments.of("percent-encoded invalid UTF-8", "POST", login, form, "username=%C3%28&password=x", 400,
                        "{\"detail\":\"form data is not valid UTF-8\"}"),
                Arguments.of("multipart without boundary", "POST", login, "multipart/form-data", part, 400,
                        "{\"detail\":\"multipart body without a boundary\"}"),
                Arguments.of("multipart boundary without value", "POST", login, "multipart/form-data; boundary", part, 400,
                        "{\"detail\":\"malformed request\"}"),
                Arguments.of("multipart not terminated", "POST", login, "multipart/form-data; boundary=b", part, 400,
                        "{\"detail\":\"multipart body is not terminated\"}"),
                Arguments.of("multipart of another boundary", "POST", login, "multipart/form-data; boundary=zz", part, 400,
                        "{\"detail\":\"multipart body does not contain its boundary\"}"),
                Arguments.of("multipart with an empty first part", "POST", login, "multipart/form-data; boundary=b", "--b\r\n--b--\r\n", 400,
                        "{\"detail\":\"multipart part has no header/body separator\"}"),
                Arguments.of("malformed content type", "POST", login, ";;", "username=a&password=b", 400, "{\"detail\":\"malformed request\"}"),
                Arguments.of("login body too large", "POST", login, form, "username=a&password=" + "p".repeat(70_000), 413,
                        "{\"detail\":\"request body is larger than 65536 bytes\"}"),
                Arguments.of("unknown refresh token", "POST", refresh, json, "{\"refresh_token\":\"nope\"}", 404,
                        "{\"detail\":\"Refresh token not found\"}"),
                Arguments.of("oversized refresh token", "POST", refresh, json, "{\"refresh_token\":\"" + "r".repeat(20_000) + "\"}", 404,
                        "{\"detail\":\"Refresh token not found\"}"),
                Arguments.of("a JWT as refresh token", "POST", refresh, json, "{\"refresh_token\":\"a.b.c\"}", 404,
                        "{\"detail\":\"Refresh token not found\"}"),
                Arguments.of("refresh body too large", "POST", refresh, json, "{\"refresh_token\":\"" + "r".repeat(70_000) + "\"}", 413,
                        "{\"detail\":\"request body is larger than 65536 bytes\"}"),
                // an empty string is a valid str to FastAPI: the original looks it up and finds nothing
                Arguments.of("empty refresh token", "POST", refresh, json, "{\"refresh_token\":\"\"}", 404,
                        "{\"detail\":\"Refresh token not found\"}"),
                Arguments.of("empty API key", "GET", login + "?key=", null, null, 400, "{\"detail\":\"Invalid API key\"}"),
                // what Python's json.loads fails on without a JSONDecodeError
                Arguments.of("refresh body nested deeper than Python recurses", "POST", refresh, json, "[".repeat(5000), 400,
                        "{\"detail\":\"There was an error parsing the body\"}"),
                Arguments.of("refresh body with an integer longer than Python converts", "POST", refresh, json,
                        "{\"refresh_token\":\"x\",\"n\":" + "1".repeat(4301) + "}", 400, "{\"detail\":\"There was an error parsing the body\"}"),
                // Starlette's answer for a path no route has
                Arguments.of("unknown path under /auth/", "GET", "/auth/nothing", null, null, 404, "{\"detail\":\"Not Found\"}"),
                Arguments.of("path below the login", "POST", login + "/extra", form, "username=a&password=b", 404, "{\"detail\":\"Not Found\"}"),
                Arguments.of("unknown API key", "GET", login + "?key=sk-occam-nope", null, null, 400, "{\"detail\":\"Invalid API key\"}"),
                Arguments.of("a JWT as API key", "GET", login + "?key=a.b.c", null, null, 400, "{\"detail\":\"Invalid API key\"}"),
                Arguments.of("API key of invalid UTF-8", "GET", login + "?key=%C3%28", null, null, 400, "{\"detail\":\"form data is not valid UTF-8\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void requestWhenRefusedThenFastApiDetail(String name, String method, String path, String type, String body, int status, String expected) {
        HttpResponse<String> res = send(method, path, type, body);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(res.body()).isEqualTo(expected);
    }

    @Test
    void refreshWhenBodyIsNotUtf8Then400LikeFastApi() {
        HttpResponse<String> res = Http.send(HttpRequest.newBuilder(URI.create(jeton.baseUrl() + "/auth/refresh-token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[]{'{', '"', 'r', (byte) 0xFF, '"', ':', '1', '}'})).build());
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).isEqualTo("{\"detail\":\"There was an error parsing the body\"}");
    }

    /** Starlette's 405 for a known path: the methods of the path's first route (the login's, for /auth/access-token). */
    static Stream<Arguments> wrongMethods() {
        return Stream.of(
                Arguments.of("PUT", "/auth/access-token"),
                Arguments.of("DELETE", "/auth/access-token"),
                Arguments.of("PATCH", "/auth/access-token"),
                Arguments.of("OPTIONS", "/auth/access-token"),
                Arguments.of("GET", "/auth/refresh-token"),
                Arguments.of("PUT", "/auth/refresh-token"),
                Arguments.of("DELETE", "/auth/refresh-token"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongMethods")
    void requestWhenMethodNotRoutedThen405WithAllowLikeStarlette(String method, String path) {
        HttpResponse<String> res = send(method, path, "application/x-www-form-urlencoded", "username=a&password=b");
        assertThat(res.statusCode()).isEqualTo(405);
        assertThat(res.headers().firstValue("Allow")).hasValue("POST");
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(res.body()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");
    }

    @Test
    void requestWhenPathHasATrailingSlashThenRedirectedLikeStarlette() {
        for (String method : List.of("POST", "PUT")) {
            HttpResponse<String> res = send(method, "/auth/access-token/?next=1", "application/x-www-form-urlencoded", "username=a&password=b");
            assertThat(res.statusCode()).isEqualTo(307);
            assertThat(res.headers().firstValue("Location")).hasValue(jeton.baseUrl() + "/auth/access-token?next=1");
            assertThat(res.body()).isEmpty();
        }
        HttpResponse<String> refresh = send("POST", "/auth/refresh-token//", "application/json", "{}");
        assertThat(refresh.headers().firstValue("Location")).hasValue(jeton.baseUrl() + "/auth/refresh-token");
    }

    @Test
    void requestWhenOtherDialectsPathThenNotOccamsAnswer() {
        // Occam's 405 and 404 stay under /auth/: the OAuth2 token endpoint keeps its own 405, Run:ai's paths their own answers.
        HttpResponse<String> oauth2 = send("PUT", "/oidc/token", null, null);
        assertThat(oauth2.statusCode()).isEqualTo(405);
        assertThat(oauth2.body()).startsWith("{\"error\":\"invalid_request\"");
        for (String path : List.of("/authx", "/v1/k8s/auth/oauth/tokens/refresh", "/api/v1/token")) {
            HttpResponse<String> res = send("GET", path, null, null);
            assertThat(res.statusCode()).as(path).isIn(404, 405);
            assertThat(res.body()).as(path).doesNotContain("\"detail\"");
        }
    }

    @Test
    void headWhenAnyOccamPathThen405WithoutBodyAsFastApiAddsNoHeadRoute() {
        for (String path : List.of("/auth/access-token?key=x", "/auth/refresh-token")) {
            HttpResponse<String> res = send("HEAD", path, null, null);
            assertThat(res.statusCode()).as(path).isEqualTo(405);
            assertThat(res.headers().firstValue("Allow")).hasValue("POST");
            assertThat(res.body()).isEmpty();
        }
    }

    /** The original reads scope and ignores it: any value logs in, and the token is the same as without one. */
    static Stream<Arguments> ignoredScopes() {
        return Stream.of(
                Arguments.of("a scope the client does not have", "admin"),
                Arguments.of("several scopes", "jobs:read jobs:write openid"),
                Arguments.of("a quote, which RFC 6749 does not allow", "%22"),
                Arguments.of("a tab and a backslash", "a%09b%5C"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ignoredScopes")
    void loginWhenScopeGivenThenIgnoredLikeTheOriginal(String name, String scope) throws Exception {
        HttpResponse<String> plain = send("POST", "/auth/access-token", "application/x-www-form-urlencoded",
                "username=ada%40example.com&password=correct-horse-battery");
        HttpResponse<String> scoped = send("POST", "/auth/access-token", "application/x-www-form-urlencoded",
                "username=ada%40example.com&password=correct-horse-battery&scope=" + scope);
        assertThat(scoped.statusCode()).as(scoped.body()).isEqualTo(200);
        assertThat(claims(scoped).get("scope")).isEqualTo(claims(plain).get("scope"));
    }

    private static JsonNode claims(HttpResponse<String> login) throws Exception {
        String jwt = JSON.readTree(login.body()).get("access_token").asText();
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    void refreshWhenTokenIsEmptyThenRefusedInTheAuditLogToo() {
        assertThat(send("POST", "/auth/refresh-token", "application/json", "{\"refresh_token\":\"\"}").statusCode()).isEqualTo(404);
        AuditTrail.of(dir).await("event", "refused", "dialect", "occam", "grant", "refresh_token", "reason", "refresh.unknown");
        assertThat(send("GET", "/auth/access-token?key=", null, null).statusCode()).isEqualTo(400);
        AuditTrail.of(dir).await("event", "refused", "dialect", "occam", "grant", "api_key", "reason", "api_key.unknown");
    }

    @Test
    void loginWhenUsernameRepeatedThenTheLastCountsAsInStarlette() {
        HttpResponse<String> res = send("POST", "/auth/access-token", "application/x-www-form-urlencoded",
                "username=nobody%40example.com&username=ada%40example.com&password=correct-horse-battery");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }

    @Test
    void loginWhenMultipartFormThenAccepted() {
        String boundary = "jetonBoundary42";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nada@example.com\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\ncorrect-horse-battery\r\n"
                + "--" + boundary + "--\r\n";
        HttpResponse<String> res = send("POST", "/auth/access-token", "multipart/form-data; boundary=" + boundary, body);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.body()).contains("\"refresh_token\"");
    }

    @Test
    void loginWhenUnknownQueryParametersThenIgnored() {
        HttpResponse<String> res = send("POST", "/auth/access-token?utm=1", "application/x-www-form-urlencoded",
                "username=ada%40example.com&password=correct-horse-battery&grant_type=");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).matches("\\{\"token_type\":\"Bearer\",\"access_token\":\"[^\"]+\",\"expires_at\":\\d+,"
                + "\"refresh_token\":\"[^\"]+\",\"refresh_token_expires_at\":\\d+}");
    }

    @Test
    void refreshWhenTokenExpiredThenRefreshTokenExpiredEvenIfAlsoUsed() {
        HttpResponse<String> login = send("POST", "/auth/access-token", "application/x-www-form-urlencoded",
                "username=ada%40example.com&password=correct-horse-battery");
        String token = login.body().replaceAll(".*\"refresh_token\":\"([^\"]+)\".*", "$1");
        assertThat(send("POST", "/auth/refresh-token", "application/json", "{\"refresh_token\":\"" + token + "\"}").statusCode())
                .isEqualTo(200);
        clock.advance(Duration.ofDays(31));
        HttpResponse<String> res = send("POST", "/auth/refresh-token", "application/json", "{\"refresh_token\":\"" + token + "\"}");
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).isEqualTo("{\"detail\":\"Refresh token expired\"}");
    }

    @Test
    void reuseWhenLenientPolicyConfiguredThenOnlyTheOldTokenIsRefused(@TempDir Path other) {
        try (Jetons.Running lenient = Jetons.start(other, java.time.Clock.systemUTC(),
                Map.of(Setting.OCCAM_REUSE_REVOKES_FAMILY, "false"))) {
            lenient.wiring().admin().accounts().addUser("bob@example.com", new Secret("correct-horse-battery"), List.of());
            HttpResponse<String> login = Http.postForm(lenient.baseUrl() + "/auth/access-token",
                    "username=bob%40example.com&password=correct-horse-battery", null);
            String first = login.body().replaceAll(".*\"refresh_token\":\"([^\"]+)\".*", "$1");
            String refreshUrl = lenient.baseUrl() + "/auth/refresh-token";
            HttpResponse<String> second = Http.send(HttpRequest.newBuilder(URI.create(refreshUrl)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + first + "\"}")).build());
            String next = second.body().replaceAll(".*\"refresh_token\":\"([^\"]+)\".*", "$1");
            HttpResponse<String> reuse = Http.send(HttpRequest.newBuilder(URI.create(refreshUrl)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + first + "\"}")).build());
            assertThat(reuse.body()).isEqualTo("{\"detail\":\"Refresh token already used\"}");
            HttpResponse<String> stillAlive = Http.send(HttpRequest.newBuilder(URI.create(refreshUrl)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + next + "\"}")).build());
            assertThat(stillAlive.statusCode()).isEqualTo(200);
        }
    }
}
