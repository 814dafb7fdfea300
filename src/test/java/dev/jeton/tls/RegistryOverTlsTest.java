package dev.jeton.tls;

import dev.jeton.config.Setting;
import dev.jeton.model.Secret;
import dev.jeton.support.DockerRegistry;
import dev.jeton.support.Jetons;
import dev.jeton.support.OciImage;
import dev.jeton.support.OpenSsl;
import dev.jeton.support.OpenSsl.KeyFormat;
import dev.jeton.support.Skopeo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real client over TLS end to end: skopeo, verifying certificates, pushes to and pulls from a
 * Docker Distribution registry on HTTPS whose token realm is Jeton on HTTPS.
 */
class RegistryOverTlsTest {
    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static DockerRegistry registry;
    static Path trustDir;
    static Path image;

    @BeforeAll
    static void start() throws Exception {
        OpenSsl.Pem pem = OpenSsl.serverCertificate(dir, "server", KeyFormat.EC_PKCS8);
        jeton = Jetons.start(dir.resolve("jeton"), Clock.systemUTC(), Map.of(
                Setting.TLS_CERT_FILE, pem.cert().toString(), Setting.TLS_KEY_FILE, pem.key().toString(), Setting.IMDS_PORT, "-1"));
        jeton.wiring().admin().accounts().addUser("alice", new Secret("alice-password"), List.of("team-a"));
        jeton.wiring().admin().rules().add("group:team-a", "team-a/*", Set.of("pull", "push"));
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, jeton.wiring().admin().keys().certificateBundle());
        assertThat(jeton.baseUrl()).startsWith("https://");
        registry = DockerRegistry.start(Files.createDirectories(dir.resolve("registry")), jeton.baseUrl(), bundle, pem);
        trustDir = Files.createDirectories(dir.resolve("certs.d"));
        Files.copy(pem.cert(), trustDir.resolve("ca.crt"));
        image = OciImage.write(dir.resolve("image"), "hello over tls\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) registry.close();
        if (jeton != null) jeton.close();
    }

    @Test
    void skopeoWhenItTrustsTheCertificateThenPushesAndPullsWithTokensFromHttpsJeton() throws Exception {
        Skopeo skopeo = new Skopeo(dir.resolve("skopeo"), trustDir);
        Skopeo.Result push = skopeo.push(image, registry.address(), "team-a/app:1", "alice:alice-password");
        assertThat(push.ok()).as("skopeo: %s%nregistry log:%n%s", push.output(), registry.log()).isTrue();
        Skopeo.Result pull = skopeo.pull(registry.address(), "team-a/app:1", Files.createDirectories(dir.resolve("pulled")),
                "alice:alice-password");
        assertThat(pull.ok()).as("skopeo: %s%nregistry log:%n%s", pull.output(), registry.log()).isTrue();
        assertThat(registry.log()).as("the registry authorized alice by a token from https Jeton").contains("auth.user.name=alice");
    }

    @Test
    void skopeoWhenItDoesNotTrustTheCertificateThenRefusesToConnect() throws Exception {
        Skopeo skopeo = new Skopeo(dir.resolve("skopeo-untrusting"), Files.createDirectories(dir.resolve("empty-certs.d")));
        Skopeo.Result push = skopeo.push(image, registry.address(), "team-a/app:2", "alice:alice-password");
        assertThat(push.ok()).isFalse();
        assertThat(push.output()).contains("x509");
    }
}
