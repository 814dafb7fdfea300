package dev.jeton.dialect.occam;

import dev.jeton.config.Setting;
import dev.jeton.model.Secret;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** FastAPI's exact 422 bodies, the multipart form, expiry, and the lenient reuse policy, over raw HTTP. */
class OccamValidationTest {
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
                Arguments.of("key missing", "GET", "/auth/access-token", null, null,
                        "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"query\",\"key\"],\"msg\":\"Field required\",\"input\":null}]}"));
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
                Arguments.of("scope with a quote", "POST", login, form, "username=ada%40example.com&password=correct-horse-battery&scope=%22", 400,
                        "{\"detail\":\"scope contains a character RFC 6749 does not allow\"}"),
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
        assertThat(res.body()).isEqualTo("{\"detail\":\"request body is not valid UTF-8\"}");
    }

    @Test
    void refreshWhenJsonHasTrailingContentThenJsonInvalidLikeFastApi() {
        HttpResponse<String> res = send("POST", "/auth/refresh-token", "application/json", "{\"refresh_token\":\"abc\"} junk");
        assertThat(res.statusCode()).isEqualTo(422);
        assertThat(res.body()).startsWith("{\"detail\":[{\"type\":\"json_invalid\",\"loc\":[\"body\",");
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
