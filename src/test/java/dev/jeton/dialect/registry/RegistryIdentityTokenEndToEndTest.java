package dev.jeton.dialect.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.config.Setting;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.DockerRegistry;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import dev.jeton.support.OciImage;
import dev.jeton.support.Skopeo;
import dev.jeton.support.Skopeo.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker login}'s identity token driving skopeo against a real Docker Distribution
 * registry. The registry checks access tokens against real time (60 s of skew), so each login
 * happens with Jeton's clock four hours in the past, and the pulls after it with the clock at
 * real now: the identity token is then older than the 3 h that ended it before.
 */
class RegistryIdentityTokenEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static MutableClock clock;
    static Jetons.Running jeton;
    static DockerRegistry registry;
    static Skopeo skopeo;
    static Path image;

    @BeforeAll
    static void start() throws Exception {
        clock = new MutableClock(Instant.now().minus(Duration.ofHours(4)));
        jeton = Jetons.start(dir.resolve("jeton"), clock, Map.of(Setting.JANITOR_INTERVAL, "3650d"));
        jeton.wiring().admin().accounts().addUser("alice", new Secret("alice-password"), List.of("team-a"));
        jeton.wiring().admin().rules().add("group:team-a", "team-a/*", Set.of("pull", "push"));
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, jeton.wiring().admin().keys().certificateBundle());
        registry = DockerRegistry.start(Files.createDirectories(dir.resolve("registry")), jeton.baseUrl(), bundle);
        skopeo = new Skopeo(dir.resolve("skopeo"));
        image = OciImage.write(dir.resolve("image"), "hello from an identity token\n");
        toRealNow();
        assertOk(skopeo.push(image, registry.address(), "team-a/app:1", "alice:alice-password"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) registry.close();
        if (jeton != null) jeton.close();
    }

    private static void toRealNow() { clock.advance(Duration.between(clock.instant(), Instant.now())); }

    private static void toFourHoursAgo() { clock.advance(Duration.between(clock.instant(), Instant.now().minus(Duration.ofHours(4)))); }

    private static void assertOk(Result r) throws Exception {
        assertThat(r.ok()).as("skopeo: %s%nregistry log:%n%s", r.output(), registry.log()).isTrue();
    }

    private static Path fresh(String name) throws Exception {
        return Files.createDirectories(dir.resolve("pulled-" + name + "-" + System.nanoTime()));
    }

    /** As Docker's daemon logs in: GET realm?account=USER&client_id=docker&offline_token=true&service=... with Basic auth. */
    private static String dockerLogin(String user, String password) throws Exception {
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oauth2/token?account=" + user + "&client_id=docker&offline_token=true&service="
                + DockerRegistry.SERVICE, Http.basic(user, password));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body()).get("refresh_token").asText();
    }

    /** An auth.json entry as docker (config.json) and podman store a login's identity token: no password, the token beside the user. */
    private static Path authFile(String user, String identityToken) throws Exception {
        String auth = Base64.getEncoder().encodeToString((user + ":").getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("auth-" + user + "-" + System.nanoTime() + ".json");
        Files.writeString(file, "{\"auths\":{\"" + registry.address() + "\":{\"auth\":\"" + auth + "\",\"identitytoken\":\"" + identityToken
                + "\"}}}");
        return file;
    }

    @Test
    void skopeoLoginWhenItSucceedsThenItStoresThePasswordNotAnIdentityToken() throws Exception {
        toRealNow();
        Path authFile = dir.resolve("skopeo-login.json");
        assertOk(skopeo.login(registry.address(), "alice", "alice-password", authFile));
        JsonNode entry = JSON.readTree(Files.readString(authFile)).get("auths").get(registry.address());
        // skopeo 1.9.3 (containers/common) checks the password and stores it; it never asks for offline_token.
        assertThat(entry.has("identitytoken")).isFalse();
        assertThat(new String(Base64.getDecoder().decode(entry.get("auth").asText()), StandardCharsets.UTF_8)).isEqualTo("alice:alice-password");
        assertOk(skopeo.pullWithAuthFile(registry.address(), "team-a/app:1", fresh("login"), authFile));
    }

    @Test
    void identityTokenWhenOlderThanThreeHoursThenSkopeoStillPushesAndPulls() throws Exception {
        toFourHoursAgo();
        String identity = dockerLogin("alice", "alice-password");
        Path authFile = authFile("alice", identity);
        toRealNow();
        assertOk(skopeo.pushWithAuthFile(image, registry.address(), "team-a/app:2", authFile));
        assertOk(skopeo.pullWithAuthFile(registry.address(), "team-a/app:2", fresh("identity"), authFile));
        assertThat(registry.log()).contains("auth.user.name=alice");
    }

    /** What ends a login's identity token: done to the principal with its name, given the token. */
    interface Ending {
        void apply(String name, String identityToken);
    }

    static Stream<Arguments> endings() {
        return Stream.of(
                Arguments.of("password changed", false, (Ending) (n, t) -> jeton.wiring().admin().accounts().setPassword(n, new Secret("changed-password")),
                        "authentication required", "credential.changed"),
                Arguments.of("user disabled", false, (Ending) (n, t) -> jeton.wiring().admin().accounts().setUserDisabled(n, true),
                        "authentication required", "user.disabled"),
                Arguments.of("app deleted", true, (Ending) (n, t) -> jeton.wiring().admin().accounts().deleteClient(n),
                        "authentication required", "client.gone"),
                Arguments.of("revoked", false, (Ending) (n, t) -> assertThat(jeton.wiring().admin().revocation().revokeAsAdmin(t)).isPresent(),
                        "refresh token has been revoked", "refresh.revoked"),
                Arguments.of("unused for 30 days", false, (Ending) (n, t) -> clock.advance(Duration.ofDays(30).plusMinutes(5)),
                        "refresh token has expired: unused for too long", "refresh.idle"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endings")
    void identityTokenWhenItsLoginEndsThenSkopeoIsRefusedAndTheAuditSaysWhy(String name, boolean app, Ending ending, String message,
                                                                           String reason) throws Exception {
        String principal = "e2e-" + System.nanoTime();
        String password = "principal-password";
        if (app) {
            password = jeton.wiring().admin().accounts().addClient(new ClientSpec(principal, Set.of(GrantType.CLIENT_CREDENTIALS), Set.of(),
                    List.of(), List.of(), null, null, RefreshPolicy.ROTATING, false)).secret().value();
            jeton.wiring().admin().rules().add("app:" + principal, "team-a/*", Set.of("pull"));
        } else {
            jeton.wiring().admin().accounts().addUser(principal, new Secret(password), List.of("team-a"));
        }
        toFourHoursAgo();
        String identity = dockerLogin(principal, password);
        Path authFile = authFile(principal, identity);
        toRealNow();
        assertOk(skopeo.pullWithAuthFile(registry.address(), "team-a/app:1", fresh(principal), authFile));

        ending.apply(principal, identity);

        Result refused = skopeo.pullWithAuthFile(registry.address(), "team-a/app:1", fresh(principal + "-after"), authFile);
        assertThat(refused.ok()).as(refused.output()).isFalse();
        // Refused by the token server, not the registry; containers/image prints the message unless it is UNAUTHORIZED's default.
        assertThat(refused.output()).contains("unable to retrieve auth token").contains("unauthorized");
        if (!message.equals("authentication required")) assertThat(refused.output()).contains("unauthorized: " + message);
        // What containers/image posted, answered in the registry's 401 shape.
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oauth2/token", "client_id=containers%2Fimage&grant_type=refresh_token"
                + "&refresh_token=" + identity + "&scope=repository%3Ateam-a%2Fapp%3Apull&service=" + DockerRegistry.SERVICE, null);
        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.body()).isEqualTo("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"" + message + "\"}]}");
        assertThat(res.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"" + jeton.baseUrl() + "/oauth2/token\"");
        AuditTrail.of(dir.resolve("jeton")).await("event", "refused", "dialect", "registry", "subject", principal, "reason", reason);
    }
}
