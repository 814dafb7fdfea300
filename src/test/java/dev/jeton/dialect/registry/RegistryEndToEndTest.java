package dev.jeton.dialect.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.keys.SigningAlgorithm;
import dev.jeton.model.Secret;
import dev.jeton.support.DockerRegistry;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.OciImage;
import dev.jeton.support.Skopeo;
import dev.jeton.support.Skopeo.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jeton as the token server of a real Docker Distribution registry, driven by skopeo: every
 * token here is checked by the registry's own verifier, not by us.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryEndToEndTest {
    private static final String ZERO_GUID = "00000000-0000-0000-0000-000000000000";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static DockerRegistry registry;
    static Skopeo skopeo;
    static Path image;

    @BeforeAll
    static void start() throws Exception {
        jeton = Jetons.start(dir.resolve("jeton"));
        var accounts = jeton.wiring().admin().accounts();
        accounts.addUser("alice", new Secret("alice-password"), List.of("team-a"));
        accounts.addUser("bob", new Secret("bob-password"), List.of());
        accounts.addUser("carol", new Secret("carol-password"), List.of());
        var rules = jeton.wiring().admin().rules();
        rules.add("group:team-a", "team-a/*", Set.of("pull", "push"));
        rules.add("group:team-a", "public/*", Set.of("pull", "push"));
        rules.add("user:bob", "team-a/*", Set.of("pull"));
        rules.add("anonymous", "public/*", Set.of("pull"));
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, jeton.wiring().admin().keys().certificateBundle());
        registry = DockerRegistry.start(Files.createDirectories(dir.resolve("registry")), jeton.baseUrl(), bundle);
        skopeo = new Skopeo(dir.resolve("skopeo"));
        image = OciImage.write(dir.resolve("image"), "hello from jeton\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) registry.close();
        if (jeton != null) jeton.close();
    }

    private static void assertOk(Result r) throws Exception {
        assertThat(r.ok()).as("skopeo: %s%nregistry log:%n%s", r.output(), registry.log()).isTrue();
    }

    private static Path fresh(String name) throws Exception {
        return Files.createDirectories(dir.resolve("pulled-" + name + "-" + System.nanoTime()));
    }

    @Test
    @Order(1)
    void pushWhenRuleAllowsThenTheRegistryAcceptsIt() throws Exception {
        assertOk(skopeo.push(image, registry.address(), "team-a/app:1", "alice:alice-password"));
        assertOk(skopeo.pull(registry.address(), "team-a/app:1", fresh("alice"), "alice:alice-password"));
        assertThat(registry.log()).as("the registry itself authorized alice by our token").contains("auth.user.name=alice");
    }

    @Test
    @Order(2)
    void pullOnlyUserWhenPushingThenDeniedButPullWorks() throws Exception {
        Result push = skopeo.push(image, registry.address(), "team-a/app:2", "bob:bob-password");
        assertThat(push.ok()).isFalse();
        assertThat(push.output()).containsAnyOf("denied", "unauthorized", "authentication required");
        assertOk(skopeo.pull(registry.address(), "team-a/app:1", fresh("bob"), "bob:bob-password"));
    }

    @Test
    @Order(3)
    void userWithoutRulesWhenPullingThenDenied() throws Exception {
        // The image is there (alice pushed it first): carol's pull fails for want of access, not of an image.
        Result pull = skopeo.pull(registry.address(), "team-a/app:1", fresh("carol"), "carol:carol-password");
        assertThat(pull.ok()).isFalse();
        assertThat(pull.output()).containsAnyOf("denied", "unauthorized", "authentication required").doesNotContain("manifest unknown");
        Result wrongPassword = skopeo.pull(registry.address(), "team-a/app:1", fresh("carol2"), "alice:wrong-password");
        assertThat(wrongPassword.ok()).isFalse();
        assertThat(wrongPassword.output()).containsAnyOf("unauthorized", "invalid username/password");
    }

    @Test
    @Order(4)
    void anonymousWhenRepositoryIsPublicThenPullsAndOtherwiseNot() throws Exception {
        assertOk(skopeo.push(image, registry.address(), "public/base:1", "alice:alice-password"));
        assertOk(skopeo.pull(registry.address(), "public/base:1", fresh("anon"), null));
        assertThat(skopeo.pull(registry.address(), "team-a/app:1", fresh("anon2"), null).ok()).isFalse();
        assertThat(skopeo.push(image, registry.address(), "public/base:2", null).ok()).isFalse();
    }

    @Test
    @Order(5)
    void exchangedRefreshTokenWhenUsedAsPasswordOfTheZeroGuidThenPullsAndPushes() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String oidc = json.readTree(Http.postForm(jeton.baseUrl() + "/oidc/token",
                "grant_type=password&username=alice&password=alice-password", Http.basic("demo", jeton.demoSecret())).body())
                .get("access_token").asText();
        String refresh = json.readTree(Http.postForm(jeton.baseUrl() + "/oauth2/exchange",
                "grant_type=access_token&service=" + DockerRegistry.SERVICE + "&tenant=t&access_token=" + oidc, null).body())
                .get("refresh_token").asText();
        assertOk(skopeo.pull(registry.address(), "team-a/app:1", fresh("guid"), ZERO_GUID + ":" + refresh));
        assertOk(skopeo.push(image, registry.address(), "team-a/app:3", ZERO_GUID + ":" + refresh));
    }

    @Test
    @Order(6)
    void pushAfterKeyRotationWhenBundleWasWrittenBeforeThenStillAccepted() throws Exception {
        String next = jeton.wiring().admin().keys().rotate(SigningAlgorithm.ES256);
        assertThat(jeton.wiring().admin().keys().activeKid()).hasValue(next);
        assertOk(skopeo.push(image, registry.address(), "team-a/app:4", "alice:alice-password"));
        assertOk(skopeo.pull(registry.address(), "team-a/app:4", fresh("rotated"), "bob:bob-password"));
    }
}
