package dev.jeton.dialect.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.config.Setting;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity token of {@code docker login} on the wire, with Jeton's clock moved by hand: it
 * outlives the old 3 h refresh token lifetime, slides with use up to its cap, and ends at once
 * with whatever ends its login (a new password or secret, a disabled or deleted principal, a
 * revocation, idleness), each refusal in the registry's 401 shape with its reason in the audit log.
 */
class RegistryIdentityTokenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "registry.test";
    private static final String ZERO_GUID = "00000000-0000-0000-0000-000000000000";
    private static final String REVOKED = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"refresh token has been revoked\"}]}";
    private static final String GONE = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}";

    @TempDir
    static Path dir;
    static MutableClock clock;
    static Jetons.Running jeton;

    @BeforeAll
    static void start() {
        clock = MutableClock.startingNow();
        // The janitor would delete families whose absolute expiry the clock has passed: keep them to tell refusals apart.
        jeton = Jetons.start(dir, clock, Map.of(Setting.JANITOR_INTERVAL, "3650d"));
        jeton.wiring().admin().rules().add("group:team-a", "team-a/*", Set.of("pull", "push"));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    /** Someone who logs in: a user with a password, or an app with its id and secret. */
    record Principal(String name, String password, boolean app) {
    }

    private static Principal newUser(String prefix) {
        String name = prefix + "-" + System.nanoTime();
        jeton.wiring().admin().accounts().addUser(name, new Secret("first-password"), List.of("team-a"));
        return new Principal(name, "first-password", false);
    }

    private static Principal newApp(String prefix) {
        String name = prefix + "-" + System.nanoTime();
        String secret = jeton.wiring().admin().accounts().addClient(new ClientSpec(name, Set.of(GrantType.CLIENT_CREDENTIALS), Set.of(), List.of(),
                List.of(), null, null, RefreshPolicy.ROTATING, false)).secret().value();
        jeton.wiring().admin().rules().add("app:" + name, "team-a/*", Set.of("pull"));
        return new Principal(name, secret, true);
    }

    /** What Docker's daemon sends for {@code docker login}: GET with Basic auth, offline_token=true, client_id=docker, no scope. */
    private static JsonNode dockerLogin(Principal p) throws Exception {
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oauth2/token?account=" + p.name() + "&client_id=docker&offline_token=true&service="
                + SERVICE, Http.basic(p.name(), p.password()));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    /** What containers/image (skopeo, podman) posts with an identity token from auth.json: fields in Go's sorted order. */
    private static HttpResponse<String> containersImage(String identityToken) {
        return Http.postForm(jeton.baseUrl() + "/oauth2/token", "client_id=containers%2Fimage&grant_type=refresh_token&refresh_token="
                + identityToken + "&scope=" + enc("repository:team-a/app:pull") + "&service=" + SERVICE, null);
    }

    /** What Docker's daemon posts with the identity token from its config.json: one space-separated scope parameter. */
    private static HttpResponse<String> docker(String identityToken) {
        return Http.postForm(jeton.baseUrl() + "/oauth2/token", "scope=" + enc("repository:team-a/app:pull repository:team-a/base:pull")
                + "&service=" + SERVICE + "&client_id=docker&grant_type=refresh_token&refresh_token=" + identityToken, null);
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    private static JsonNode payload(String jwt) throws Exception {
        return JSON.readTree(Base64.getDecoder().decode(pad(jwt.split("\\.")[1])));
    }

    private static String pad(String b64) { return b64 + "=".repeat((4 - b64.length() % 4) % 4); }

    private static void assertWorks(HttpResponse<String> res, String subject) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(payload(JSON.readTree(res.body()).get("access_token").asText()).get("sub").asText()).isEqualTo(subject);
    }

    private static void assertRefused(HttpResponse<String> res, String body) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(401);
        assertThat(res.body()).isEqualTo(body);
        assertThat(res.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"" + jeton.baseUrl() + "/oauth2/token\"");
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void dockerLoginWhenUsedLongAfterTheOldThreeHoursThenStillWorksForDockerAndContainersImage() throws Exception {
        Principal alice = newUser("alice");
        JsonNode login = dockerLogin(alice);
        String identity = login.get("refresh_token").asText();
        JsonNode claims = payload(identity);
        assertThat(claims.get("grant_type").asText()).isEqualTo("refresh_token");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).as("exp is the 90 day cap").isEqualTo(Duration.ofDays(90).toSeconds());
        assertThat(claims.get("aud").asText()).isEqualTo(SERVICE);

        clock.advance(Duration.ofHours(3).plusMinutes(1));
        assertWorks(containersImage(identity), alice.name());
        HttpResponse<String> viaDocker = docker(identity);
        assertWorks(viaDocker, alice.name());
        assertThat(payload(JSON.readTree(viaDocker.body()).get("access_token").asText()).get("access")).hasSize(2);
        assertWorks(Http.get(jeton.baseUrl() + "/oauth2/token?service=" + SERVICE + "&scope=repository:team-a/app:pull",
                Http.basic(ZERO_GUID, identity)), alice.name());
        assertThat(JSON.readTree(containersImage(identity).body()).has("refresh_token")).as("a refresh answers no new identity token").isFalse();
    }

    @Test
    void identityTokenWhenUsedWithinEachIdleWindowThenLivesUntilTheCapAndNoLonger() throws Exception {
        Principal user = newUser("daily");
        String identity = dockerLogin(user).get("refresh_token").asText();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofDays(22));
            assertWorks(containersImage(identity), user.name());
        }
        clock.advance(Duration.ofDays(3));
        assertRefused(containersImage(identity), "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"refresh token has expired\"}]}");
        AuditTrail.of(dir).await("event", "refused", "dialect", "registry", "subject", user.name(), "reason", "refresh.expired");
    }

    @Test
    void passwordGrantWithOfflineAccessWhenPasswordChangesThenItsIdentityTokenEndsToo() throws Exception {
        Principal user = newUser("oauth-post");
        // Docker's daemon when it logs in through the registry's OAuth POST (password grant, access_type=offline).
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oauth2/token", "scope=&service=" + SERVICE
                + "&client_id=docker&grant_type=password&username=" + user.name() + "&password=" + user.password() + "&access_type=offline", null);
        String identity = JSON.readTree(res.body()).get("refresh_token").asText();
        clock.advance(Duration.ofHours(4));
        assertWorks(docker(identity), user.name());
        jeton.wiring().admin().accounts().setPassword(user.name(), new Secret("second-password"));
        assertRefused(docker(identity), GONE);
    }

    @Test
    void loginWithARefreshTokenAsPasswordWhenOfflineThenAnOrdinaryRefreshTokenOfThreeHours() throws Exception {
        Principal user = newUser("guid");
        String identity = dockerLogin(user).get("refresh_token").asText();
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oauth2/token?client_id=docker&offline_token=true&service=" + SERVICE,
                Http.basic(ZERO_GUID, identity));
        String derived = JSON.readTree(res.body()).get("refresh_token").asText();
        JsonNode claims = payload(derived);
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(Duration.ofHours(3).toSeconds());
        clock.advance(Duration.ofHours(3).plusSeconds(1));
        assertRefused(containersImage(derived), "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"refresh token has expired\"}]}");
        assertWorks(containersImage(identity), user.name());
    }

    /** What ends a login's identity token, the answer after it, and the reason the audit log gives. */
    interface Ending {
        void apply(Principal p, String identityToken) throws Exception;
    }

    static Stream<Arguments> endings() {
        return Stream.of(
                Arguments.of("password changed (jeton user passwd)", false, (Ending) (p, t) ->
                        cli("another-password\n", "user", "passwd", p.name()), GONE, "credential.changed"),
                Arguments.of("password set again to the same one", false, (Ending) (p, t) ->
                        jeton.wiring().admin().accounts().setPassword(p.name(), new Secret(p.password())), GONE, "credential.changed"),
                Arguments.of("user disabled (jeton user disable)", false, (Ending) (p, t) ->
                        cli(null, "user", "disable", p.name()), GONE, "user.disabled"),
                Arguments.of("app secret rotated", true, (Ending) (p, t) ->
                        jeton.wiring().admin().accounts().rotateClientSecret(p.name()), GONE, "credential.changed"),
                Arguments.of("app deleted", true, (Ending) (p, t) ->
                        jeton.wiring().admin().accounts().deleteClient(p.name()), GONE, "client.gone"),
                Arguments.of("revoked (jeton token revoke -)", false, (Ending) (p, t) ->
                        cli(t + "\n", "token", "revoke", "-"), REVOKED, "refresh.revoked"),
                Arguments.of("family revoked (jeton token revoke --family)", true, (Ending) (p, t) ->
                        cli(null, "token", "revoke", "--family", payload(t).get("jti").asText()), REVOKED, "refresh.revoked"),
                Arguments.of("unused for the idle lifetime", false, (Ending) (p, t) ->
                        clock.advance(Duration.ofDays(30).plusMinutes(1)),
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"refresh token has expired: unused for too long\"}]}", "refresh.idle"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endings")
    void identityTokenWhenItsLoginEndsThenRefusedInTheRegistryShapeWithAReason(String name, boolean app, Ending ending, String body,
                                                                                String reason) throws Exception {
        Principal p = app ? newApp("ending") : newUser("ending");
        String identity = dockerLogin(p).get("refresh_token").asText();
        clock.advance(Duration.ofHours(4));
        assertWorks(containersImage(identity), p.name());

        ending.apply(p, identity);

        assertRefused(containersImage(identity), body);
        assertRefused(Http.get(jeton.baseUrl() + "/oauth2/token?service=" + SERVICE + "&scope=repository:team-a/app:pull",
                Http.basic(ZERO_GUID, identity)), body);
        JsonNode refused = AuditTrail.of(dir).await("event", "refused", "dialect", "registry", "subject", p.name(), "reason", reason);
        assertThat(refused.get("family_id").asText()).isEqualTo(payload(identity).get("jti").asText());
        assertThat(refused.get("kind").asText()).isEqualTo(app ? "client" : "user");
        AuditTrail.of(dir).assertContainsNone(List.of(identity, p.password()));
    }

    @Test
    void settingsWhenIdleAndCapConfiguredThenTheyRuleTheIdentityToken(@TempDir Path other) throws Exception {
        MutableClock own = MutableClock.startingNow();
        try (Jetons.Running custom = Jetons.start(other, own, Map.of(Setting.REGISTRY_IDENTITY_TOKEN_IDLE_TTL, "1h",
                Setting.REGISTRY_IDENTITY_TOKEN_MAX_TTL, "2h"))) {
            custom.wiring().admin().accounts().addUser("erin", new Secret("erin-password"), List.of());
            HttpResponse<String> login = Http.get(custom.baseUrl() + "/oauth2/token?offline_token=true&service=" + SERVICE,
                    Http.basic("erin", "erin-password"));
            String identity = JSON.readTree(login.body()).get("refresh_token").asText();
            JsonNode claims = payload(identity);
            assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(7200);
            String refresh = "grant_type=refresh_token&service=" + SERVICE + "&refresh_token=" + identity;
            own.advance(Duration.ofMinutes(59));
            assertThat(Http.postForm(custom.baseUrl() + "/oauth2/token", refresh, null).statusCode()).isEqualTo(200);
            own.advance(Duration.ofMinutes(59));
            assertThat(Http.postForm(custom.baseUrl() + "/oauth2/token", refresh, null).statusCode()).as("slid past the first hour").isEqualTo(200);
            own.advance(Duration.ofMinutes(3));
            assertThat(Http.postForm(custom.baseUrl() + "/oauth2/token", refresh, null).body()).contains("refresh token has expired");
            String idle = JSON.readTree(Http.get(custom.baseUrl() + "/oauth2/token?offline_token=true&service=" + SERVICE,
                    Http.basic("erin", "erin-password")).body()).get("refresh_token").asText();
            own.advance(Duration.ofMinutes(61));
            assertThat(Http.postForm(custom.baseUrl() + "/oauth2/token", "grant_type=refresh_token&service=" + SERVICE + "&refresh_token=" + idle,
                    null).body()).contains("unused for too long");
        }
    }

    /** {@code jeton ARGS --data-dir DIR}: the operator's CLI on the running server's data. */
    private static void cli(String stdin, String... args) {
        String[] all = Stream.concat(Stream.of(args), Stream.of("--data-dir", dir.toString())).toArray(String[]::new);
        InProcessCli.Result result = InProcessCli.run(stdin, all);
        assertThat(result.code()).as(result.out() + result.err()).isZero();
    }
}
