package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.support.ForgedTokens;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input at introspection (RFC 7662), revocation (RFC 7009) and userinfo (RFC 6750): bad
 * requests get RFC 6749 errors, and every forged or broken token is inactive, ignored or
 * refused with {@code invalid_token}, never a 500.
 */
class PresentedTokenErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORM = "application/x-www-form-urlencoded";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static ForgedTokens forge;
    static String demoBasic;
    static String adminId;
    static String adminRefreshToken;

    @BeforeAll
    static void start() throws Exception {
        jeton = Jetons.start(dir);
        forge = new ForgedTokens(jeton.wiring().admin().keys(), jeton.wiring().issuer());
        demoBasic = Http.basic("demo", jeton.demoSecret());
        adminId = jeton.wiring().admin().accounts().users().stream().filter(u -> u.name().equals("admin")).findFirst().orElseThrow().id();
        adminRefreshToken = JSON.readTree(Http.postForm(jeton.baseUrl() + "/oidc/token",
                "grant_type=password&username=admin&password=" + jeton.adminPassword(), demoBasic).body()).get("refresh_token").asText();
    }

    @AfterAll
    static void stop() { jeton.close(); }

    /** Tokens that must never count as valid access tokens, each built against the running Jeton. */
    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("not a JWT", (Function<ForgedTokens, String>) f -> "not-a-token"),
                Arguments.of("three parts of garbage", (Function<ForgedTokens, String>) f -> "a.b.c"),
                Arguments.of("payload not JSON", (Function<ForgedTokens, String>) f -> ForgedTokens.malformed()),
                Arguments.of("encrypted JWT shape", (Function<ForgedTokens, String>) f -> ForgedTokens.encryptedShape()),
                Arguments.of("expired", (Function<ForgedTokens, String>) f -> f.expired(adminId, "admin")),
                Arguments.of("not yet valid", (Function<ForgedTokens, String>) f -> f.notYetValid(adminId, "admin")),
                Arguments.of("wrongly signed under our kid", (Function<ForgedTokens, String>) f -> f.wronglySigned(adminId, "admin")),
                Arguments.of("alg none", (Function<ForgedTokens, String>) f -> f.algNone(adminId, "admin")),
                Arguments.of("HS256 keyed with our JWKS", (Function<ForgedTokens, String>) f -> f.hmacWithPublicKeys(adminId, "admin")),
                Arguments.of("another issuer", (Function<ForgedTokens, String>) f -> f.otherIssuer(adminId, "admin")),
                Arguments.of("12 KB of token", (Function<ForgedTokens, String>) f -> "x".repeat(12_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void introspectionWhenTokenIsBadThenInactive(String name, Function<ForgedTokens, String> token) throws Exception {
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oidc/introspect", "token=" + token.apply(forge), demoBasic);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("{\"active\":false}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void userinfoWhenTokenIsBadThen401InvalidToken(String name, Function<ForgedTokens, String> token) throws Exception {
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oidc/userinfo", "Bearer " + token.apply(forge));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(401);
        assertThat(res.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer realm=\"jeton\", error=\"invalid_token\""));
        assertError(res, "invalid_token");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void revocationWhenTokenIsBadThen200AndNothingHappens(String name, Function<ForgedTokens, String> token) {
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oidc/revoke", "token=" + token.apply(forge), demoBasic);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.body()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void userinfoWhenAuthorizationHeaderOver16KibThenRefusedWith431InOAuth2ShapeNotA500() {
        // Refused before any dialect sees the request (max-header-bytes), yet answered in this dialect's JSON.
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oidc/userinfo", "Bearer " + "a".repeat(20_000));
        assertThat(res.statusCode()).isEqualTo(431);
        assertThat(res.body()).isEqualTo("{\"error\":\"invalid_request\",\"error_description\":\"the request's headers are larger than 16384 bytes\"}");
    }

    @org.junit.jupiter.api.Test
    void introspectionWhenOurTokenIsForAnotherAudienceThenActiveAndNamesItForTheResourceServer() throws Exception {
        // RFC 7662 4: the resource server, not the introspection endpoint, decides whether the audience is its own.
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oidc/introspect", "token=" + forge.otherAudience(adminId, "admin"),
                demoBasic);
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("active").asBoolean()).isTrue();
        assertThat(body.get("aud").asText()).isEqualTo("https://elsewhere.example");
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("introspect without client authentication", "/oidc/introspect", null, FORM, "token=x", 401, "invalid_client"),
                Arguments.of("introspect by a public client", "/oidc/introspect", null, FORM, "token=x&client_id=runai", 400, "unauthorized_client"),
                Arguments.of("introspect without token", "/oidc/introspect", "demo", FORM, "token_type_hint=access_token", 400, "invalid_request"),
                Arguments.of("introspect with an empty token", "/oidc/introspect", "demo", FORM, "token=", 400, "invalid_request"),
                Arguments.of("introspect with token sent twice", "/oidc/introspect", "demo", FORM, "token=a&token=b", 400, "invalid_request"),
                Arguments.of("introspect with a JSON body", "/oidc/introspect", "demo", "application/json", "{\"token\":\"x\"}", 400, "invalid_request"),
                Arguments.of("introspect with bad percent-encoding", "/oidc/introspect", "demo", FORM, "token=%G0", 400, "invalid_request"),
                Arguments.of("introspect with wrong secret", "/oidc/introspect", "wrong", FORM, "token=x", 401, "invalid_client"),
                Arguments.of("revoke without client authentication", "/oidc/revoke", null, FORM, "token=x", 401, "invalid_client"),
                Arguments.of("revoke without token", "/oidc/revoke", "demo", FORM, "", 400, "invalid_request"),
                Arguments.of("revoke with token sent twice", "/oidc/revoke", "demo", FORM, "token=a&token=a", 400, "invalid_request"),
                Arguments.of("revoke with no content type", "/oidc/revoke", "demo", null, "token=x", 400, "invalid_request"),
                Arguments.of("revoke with invalid UTF-8", "/oidc/revoke", "demo", FORM, "token=%C3%28", 400, "invalid_request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void introspectionAndRevocationWhenRequestIsBadThenRfc6749Error(String name, String path, String secret, String contentType, String body,
                                                                     int status, String error) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(jeton.baseUrl() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (secret != null) b.header("Authorization", Http.basic("demo", secret.equals("demo") ? jeton.demoSecret() : secret));
        HttpResponse<String> res = Http.send(b.build());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertError(res, error);
    }

    static Stream<Arguments> badAuthorizations() {
        return Stream.of(
                Arguments.of("no Authorization", null),
                Arguments.of("Basic instead of Bearer", "Basic ZGVtbzp4"),
                Arguments.of("the scheme alone", "Bearer"),
                Arguments.of("another scheme", "Token abc"),
                Arguments.of("Bearer without a space", "Bearerabc"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAuthorizations")
    void userinfoWhenNoBearerThen401WithBareChallenge(String name, String authorization) throws Exception {
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oidc/userinfo", authorization);
        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"jeton\"");
        assertError(res, "invalid_request");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refreshTokensAsBearer")
    void userinfoWhenRefreshTokenPresentedAsBearerThen401InvalidToken(String name, boolean registry) throws Exception {
        String token = adminRefreshToken;
        if (registry) {
            token = JSON.readTree(Http.get(jeton.baseUrl() + "/oauth2/token?service=reg&offline_token=true",
                    Http.basic("admin", jeton.adminPassword())).body()).get("refresh_token").asText();
        }
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oidc/userinfo", "Bearer " + token);
        assertThat(res.statusCode()).isEqualTo(401);
        assertError(res, "invalid_token");
    }

    static Stream<Arguments> refreshTokensAsBearer() {
        return Stream.of(Arguments.of("OAuth refresh token", false), Arguments.of("registry refresh token (a JWT)", true));
    }

    private static void assertError(HttpResponse<String> res, String error) throws Exception {
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(body.size()).isEqualTo(2);
        assertThat(res.body()).doesNotContain(jeton.demoSecret());
    }
}
