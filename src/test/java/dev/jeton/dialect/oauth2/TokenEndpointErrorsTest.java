package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error path of the token endpoint, over real HTTP, in RFC 6749 section 5.2's shape: bad
 * parameters, encodings, content types, client authentication and grant types.
 */
class TokenEndpointErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static String demoBasic;
    static String ccOnlyBasic;
    static String otherClientRefreshToken;
    static String otherBasic;

    @BeforeAll
    static void start() throws Exception {
        jeton = Jetons.start(dir);
        demoBasic = Http.basic("demo", jeton.demoSecret());
        var accounts = jeton.wiring().admin().accounts();
        Secret ccOnly = accounts.addClient(new ClientSpec("cc-only", Set.of(GrantType.CLIENT_CREDENTIALS), Set.of("read"),
                List.of("https://api.example"), List.of(), null, null, RefreshPolicy.ROTATING, false)).secret();
        ccOnlyBasic = Http.basic("cc-only", ccOnly.value());
        Secret other = accounts.addClient(new ClientSpec("other", Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN),
                Set.of("read"), List.of(), List.of(), null, null, RefreshPolicy.ROTATING, false)).secret();
        accounts.addUser("disabled-user", new Secret("password-123"), List.of());
        accounts.setUserDisabled("disabled-user", true);
        otherBasic = Http.basic("other", other.value());
        HttpResponse<String> login = Http.postForm(jeton.baseUrl() + "/oidc/token",
                "grant_type=password&username=admin&password=" + jeton.adminPassword(), otherBasic);
        otherClientRefreshToken = JSON.readTree(login.body()).get("refresh_token").asText();
    }

    @AfterAll
    static void stop() { jeton.close(); }

    record Case(Supplier<String> authorization, String contentType, Supplier<String> body, byte[] rawBody) {
        Case(Supplier<String> authorization, String contentType, Supplier<String> body) {
            this(authorization, contentType, body, null);
        }

        static Case form(Supplier<String> authorization, String body) {
            return new Case(authorization, "application/x-www-form-urlencoded", () -> body);
        }

        /** Bytes as sent, for bodies that are not valid UTF-8. */
        static Case rawForm(Supplier<String> authorization, byte[] body) {
            return new Case(authorization, "application/x-www-form-urlencoded", null, body);
        }

        byte[] bytes() { return rawBody != null ? rawBody : body.get().getBytes(StandardCharsets.UTF_8); }
    }

    static Stream<Arguments> errors() {
        Supplier<String> demo = () -> demoBasic;
        Supplier<String> none = () -> null;
        return Stream.of(
                Arguments.of("missing grant_type", Case.form(demo, "scope=read"), 400, "invalid_request"),
                Arguments.of("unknown grant_type", Case.form(demo, "grant_type=magic"), 400, "unsupported_grant_type"),
                Arguments.of("grant_type sent twice", Case.form(demo, "grant_type=client_credentials&grant_type=password"), 400, "invalid_request"),
                Arguments.of("no client authentication", Case.form(none, "grant_type=client_credentials"), 401, "invalid_client"),
                Arguments.of("client_id without secret", Case.form(none, "grant_type=client_credentials&client_id=demo"), 401, "invalid_client"),
                Arguments.of("wrong secret", Case.form(() -> Http.basic("demo", "wrong"), "grant_type=client_credentials"), 401, "invalid_client"),
                Arguments.of("unknown client", Case.form(() -> Http.basic("nobody", "x"), "grant_type=client_credentials"), 401, "invalid_client"),
                Arguments.of("wrong secret by post", Case.form(none, "grant_type=client_credentials&client_id=demo&client_secret=x"), 401, "invalid_client"),
                Arguments.of("Basic not base64", Case.form(() -> "Basic !!!", "grant_type=client_credentials"), 401, "invalid_client"),
                Arguments.of("Basic without colon", Case.form(() -> "Basic ZGVtbw==", "grant_type=client_credentials"), 401, "invalid_client"),
                Arguments.of("Basic and client_secret both", Case.form(demo, "grant_type=client_credentials&client_secret=x"), 400, "invalid_request"),
                Arguments.of("client_id differs from Basic", Case.form(demo, "grant_type=client_credentials&client_id=other"), 400, "invalid_request"),
                Arguments.of("bad percent-encoding", Case.form(demo, "grant_type=client_credentials&scope=%zz"), 400, "invalid_request"),
                Arguments.of("invalid UTF-8", Case.form(demo, "grant_type=client_credentials&scope=%ff%fe"), 400, "invalid_request"),
                Arguments.of("JSON body", new Case(demo, "application/json", () -> "{\"grant_type\":\"client_credentials\"}"), 400, "invalid_request"),
                Arguments.of("no content type", new Case(demo, null, () -> "grant_type=client_credentials"), 400, "invalid_request"),
                Arguments.of("scope not allowed", Case.form(demo, "grant_type=client_credentials&scope=admin"), 400, "invalid_scope"),
                Arguments.of("scope with a quote", Case.form(demo, "grant_type=client_credentials&scope=%22read"), 400, "invalid_scope"),
                Arguments.of("audience not registered", Case.form(() -> ccOnlyBasic, "grant_type=client_credentials&audience=https://evil.example"), 400, "invalid_target"),
                Arguments.of("client_credentials not allowed", Case.form(() -> otherBasic, "grant_type=client_credentials"), 400, "unauthorized_client"),
                Arguments.of("password grant not allowed", Case.form(() -> ccOnlyBasic, "grant_type=password&username=admin&password=x"), 400, "unauthorized_client"),
                Arguments.of("password without username", Case.form(demo, "grant_type=password&password=x"), 400, "invalid_request"),
                Arguments.of("password without password", Case.form(demo, "grant_type=password&username=admin"), 400, "invalid_request"),
                Arguments.of("wrong password", Case.form(demo, "grant_type=password&username=admin&password=wrong-password"), 400, "invalid_grant"),
                Arguments.of("unknown user", Case.form(demo, "grant_type=password&username=ghost&password=wrong-password"), 400, "invalid_grant"),
                Arguments.of("disabled user", Case.form(demo, "grant_type=password&username=disabled-user&password=password-123"), 400, "invalid_grant"),
                Arguments.of("refresh without token", Case.form(demo, "grant_type=refresh_token"), 400, "invalid_request"),
                Arguments.of("refresh with unknown token", Case.form(demo, "grant_type=refresh_token&refresh_token=abc"), 400, "invalid_grant"),
                Arguments.of("refresh token of another client", new Case(demo, "application/x-www-form-urlencoded",
                        () -> "grant_type=refresh_token&refresh_token=" + otherClientRefreshToken), 400, "invalid_grant"),
                Arguments.of("refresh not allowed", new Case(() -> ccOnlyBasic, "application/x-www-form-urlencoded",
                        () -> "grant_type=refresh_token&refresh_token=" + otherClientRefreshToken), 400, "unauthorized_client"),
                Arguments.of("body too large", Case.form(demo, "grant_type=client_credentials&scope=" + "a".repeat(70_000)), 413, "invalid_request"),
                // missing, empty, duplicated, oversized, wrongly encoded and wrongly typed parameters
                Arguments.of("empty grant_type", Case.form(demo, "grant_type=&scope=read"), 400, "invalid_request"),
                Arguments.of("grant_type without '='", Case.form(demo, "grant_type&scope=read"), 400, "invalid_request"),
                Arguments.of("client_secret sent twice", Case.form(none, "grant_type=client_credentials&client_id=demo&client_secret=a&client_secret=b"), 400, "invalid_request"),
                Arguments.of("client_id sent twice", Case.form(none, "grant_type=client_credentials&client_id=demo&client_id=demo&client_secret=a"), 400, "invalid_request"),
                Arguments.of("scope sent twice", Case.form(demo, "grant_type=client_credentials&scope=read&scope=write"), 400, "invalid_request"),
                Arguments.of("oversized grant_type", Case.form(demo, "grant_type=" + "g".repeat(30_000)), 400, "unsupported_grant_type"),
                Arguments.of("grant_type of control characters", Case.form(demo, "grant_type=%00%1b%0d%0a"), 400, "unsupported_grant_type"),
                Arguments.of("truncated percent-encoding", Case.form(demo, "grant_type=client_credentials&scope=read%2"), 400, "invalid_request"),
                Arguments.of("percent-encoded lone continuation byte", Case.form(demo, "grant_type=client_credentials&scope=%80"), 400, "invalid_request"),
                Arguments.of("raw invalid UTF-8 in the body", Case.rawForm(demo, new byte[]{'g', 'r', 'a', 'n', 't', '_', 't', 'y', 'p', 'e', '=', (byte) 0xC3, '('}), 400, "invalid_request"),
                Arguments.of("raw multi-byte text before '+'", Case.form(demo, "grant_type=client_credentials&scope=\u00e9+"), 400, "invalid_scope"),
                Arguments.of("scope as a JSON array", Case.form(demo, "grant_type=client_credentials&scope=[\"read\"]"), 400, "invalid_scope"),
                Arguments.of("scope with a tab", Case.form(demo, "grant_type=client_credentials&scope=%09read"), 400, "invalid_scope"),
                // wrong content types
                Arguments.of("text/plain body", new Case(demo, "text/plain", () -> "grant_type=client_credentials"), 400, "invalid_request"),
                Arguments.of("multipart body", new Case(demo, "multipart/form-data; boundary=b",
                        () -> "--b\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--b--\r\n"), 400, "invalid_request"),
                Arguments.of("malformed content type", new Case(demo, ";;", () -> "grant_type=client_credentials"), 400, "invalid_request"),
                Arguments.of("content type without subtype", new Case(demo, "application", () -> "grant_type=client_credentials"), 400, "invalid_request"),
                // bad Basic headers
                Arguments.of("Basic empty", Case.form(() -> "Basic ", "grant_type=client_credentials"), 401, "invalid_client"),
                Arguments.of("Basic of invalid UTF-8", Case.form(() -> "Basic //79", "grant_type=client_credentials"), 401, "invalid_client"),
                Arguments.of("Basic with bad percent-encoding", Case.form(() -> Http.basic("de%zzmo", "x"), "grant_type=client_credentials"), 401, "invalid_client"),
                Arguments.of("Basic with an empty id", Case.form(() -> Http.basic("", "x"), "grant_type=client_credentials"), 401, "invalid_client"),
                Arguments.of("Basic of 12 KB", Case.form(() -> Http.basic("demo", "x".repeat(12_000)), "grant_type=client_credentials"), 401, "invalid_client"),
                Arguments.of("Bearer instead of Basic", Case.form(() -> "Bearer abc", "grant_type=client_credentials"), 401, "invalid_client"),
                // unknown grant types, including real ones Jeton does not speak here
                Arguments.of("token exchange without subject_token_type", Case.form(demo, "grant_type=urn:ietf:params:oauth:grant-type:token-exchange&subject_token=x"), 400, "invalid_request"),
                Arguments.of("JWT bearer grant", Case.form(demo, "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=a.b.c"), 400, "unsupported_grant_type"),
                Arguments.of("implicit as a grant", Case.form(demo, "grant_type=implicit"), 400, "unsupported_grant_type"),
                Arguments.of("grant_type in upper case", Case.form(demo, "grant_type=CLIENT_CREDENTIALS"), 400, "unsupported_grant_type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void tokenEndpointWhenBadRequestThenRfc6749Error(String name, Case c, int status, String error) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jeton.baseUrl() + "/oidc/token"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(c.bytes()));
        if (c.contentType() != null) b.header("Content-Type", c.contentType());
        String authorization = c.authorization().get();
        if (authorization != null) b.header("Authorization", authorization);
        HttpResponse<String> res = Http.send(b.build());

        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(res.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(body.size()).isEqualTo(2);
        assertThat(res.body()).as("no secret echoed").doesNotContain(jeton.demoSecret()).doesNotContain("wrong-password");
        assertThat(body.get("error_description").asText().length()).as("no input echoed at length").isLessThan(200);
        if (status == 401) {
            assertThat(res.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic realm="));
        }
    }

    @Test
    void tokenEndpointWhenGetThen405WithAllow() {
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oidc/token", null);
        assertThat(res.statusCode()).isEqualTo(405);
        assertThat(res.headers().firstValue("Allow")).hasValue("POST");
        assertThat(res.body()).contains("\"error\":\"invalid_request\"");
    }

    @Test
    void passwordErrorsWhenUserUnknownOrPasswordWrongThenIndistinguishable() {
        HttpResponse<String> unknown = Http.postForm(jeton.baseUrl() + "/oidc/token",
                "grant_type=password&username=ghost&password=x", demoBasic);
        HttpResponse<String> wrong = Http.postForm(jeton.baseUrl() + "/oidc/token",
                "grant_type=password&username=admin&password=x", demoBasic);
        assertThat(unknown.statusCode()).isEqualTo(wrong.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).isEqualTo(wrong.body());
        assertThat(unknown.headers().map().keySet()).isEqualTo(wrong.headers().map().keySet());
    }
}
