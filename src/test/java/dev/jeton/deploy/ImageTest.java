package dev.jeton.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.support.DockerRegistry;
import dev.jeton.support.Http;
import dev.jeton.support.JetonImage;
import dev.jeton.support.Podman;
import dev.jeton.support.Skopeo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image from {@code mvn -Pimage package}, run with podman as an operator would: a read-only
 * root file system, the data on a named volume, the master key and first admin password from
 * mounted secret files, configuration by environment.
 */
class ImageTest {
    private static final String ADMIN_PASSWORD = "image-test admin password 7f3a";

    @TempDir
    static Path dir;
    static String image;
    static Path secrets;
    static final List<String> containers = new ArrayList<>();
    static final List<String> volumes = new ArrayList<>();

    @BeforeAll
    static void loadImage() throws Exception {
        image = JetonImage.load();
        secrets = Files.createDirectories(dir.resolve("secrets"));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(secrets.resolve("master.key"), Base64.getEncoder().encodeToString(key) + "\n");
        Files.writeString(secrets.resolve("admin-password"), ADMIN_PASSWORD + "\n");
        // Mounted read-only into a container whose user is not root: readable, as a Kubernetes secret is.
        for (Path f : List.of(secrets.resolve("master.key"), secrets.resolve("admin-password"), secrets)) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
        }
    }

    @AfterAll
    static void removeContainers() throws Exception {
        for (String c : containers) Podman.run("rm", "-f", "-t", "0", c);
        for (String v : volumes) Podman.run("volume", "rm", "-f", v);
    }

    @Test
    void runsAsNonRootIssuesTokensARegistryAcceptsAndKeepsItsDataAcrossARestart() throws Exception {
        int port = freePort();
        String volume = "jeton-image-test-" + System.nanoTime();
        volumes.add(volume);
        String first = start(volume, port, "--env", "JETON_FIRST_ADMIN_PASSWORD_FILE=/run/secrets/jeton/admin-password");
        awaitReady(first, port);

        assertThat(uidOf(first)).as("the server's user in the container, seen from the host").isEqualTo("65532");
        String logs = Podman.run("logs", first).output();
        assertThat(logs).contains("First start: created user admin").contains("jeton listening on");
        assertThat(logs).as("nothing secret in the collected log")
                .doesNotContain(ADMIN_PASSWORD).doesNotContain("client_secret").doesNotContain("demo")
                .doesNotContain(Files.readString(secrets.resolve("master.key")).trim());

        // The operator's CLI runs inside the container, on the same volume.
        cli(first, "rule", "add", "--subject", "group:admins", "--repo", "jeton/*", "--actions", "pull,push");
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, cli(first, "registry", "cert"));

        String issuer = "http://127.0.0.1:" + port;
        awaitGranted(issuer, "push");
        try (DockerRegistry registry = DockerRegistry.start(Files.createDirectories(dir.resolve("registry")), issuer, bundle)) {
            Skopeo skopeo = new Skopeo(dir.resolve("skopeo"));
            // The image itself, pushed through Jeton's own registry auth: the registry checks our token.
            Skopeo.Result push = skopeo.pushFrom("docker-archive:" + JetonImage.tar(), registry.address(), "jeton/jeton:test",
                    "admin:" + ADMIN_PASSWORD);
            assertThat(push.ok()).as("skopeo push: %s%nregistry log:%n%s", push.output(), registry.log()).isTrue();
            assertThat(registry.log()).contains("auth.user.name=admin");

            // A new container on the same volume: same users, rules and signing keys, and no second first start.
            // SIGTERM: the JVM runs its shutdown hook and exits by itself (143), well before podman's SIGKILL (137).
            Podman.run("stop", "-t", "60", first).orFail("podman stop");
            assertThat(Podman.run("inspect", "--format", "{{.State.ExitCode}}", first).output().trim()).isEqualTo("143");
            String second = start(volume, port);
            awaitReady(second, port);
            assertThat(Podman.run("logs", second).output()).doesNotContain("First start");
            Skopeo.Result pull = skopeo.pull(registry.address(), "jeton/jeton:test", dir.resolve("pulled"), "admin:" + ADMIN_PASSWORD);
            assertThat(pull.ok()).as("skopeo pull after the restart: %s%nregistry log:%n%s", pull.output(), registry.log()).isTrue();
            HttpResponse<String> wrong = Http.get(issuer + "/oauth2/token?service=" + DockerRegistry.SERVICE
                    + "&scope=repository:jeton/jeton:pull", Http.basic("admin", "not the password"));
            assertThat(wrong.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void refusesToStartWithoutAMasterKey() throws Exception {
        String volume = "jeton-image-test-nokey-" + System.nanoTime();
        volumes.add(volume);
        String name = "jeton-image-test-nokey-" + System.nanoTime();
        containers.add(name);
        Podman.Result run = Podman.run(300, List.of("run", "--name", name, "--network", "host", "--read-only",
                "--volume", volume + ":/var/lib/jeton", "--env", "JETON_PORT=" + freePort(), image));
        assertThat(run.code()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("no master key").contains("JETON_MASTER_KEY_FILE").doesNotContain("Exception");
        assertThat(run.output()).doesNotContain("listening");
    }

    private static String start(String volume, int port, String... extra) throws Exception {
        String name = "jeton-image-test-" + System.nanoTime();
        containers.add(name);
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", name, "--network", "host", "--read-only",
                "--volume", volume + ":/var/lib/jeton",
                "--volume", secrets + ":/run/secrets/jeton:ro",
                "--env", "JETON_PORT=" + port,
                "--env", "JETON_ISSUER=http://127.0.0.1:" + port,
                "--env", "JETON_MASTER_KEY_FILE=/run/secrets/jeton/master.key"));
        args.addAll(List.of(extra));
        args.add(image);
        Podman.run(120, args).orFail("podman run");
        return name;
    }

    /** Polls the readiness endpoint until it answers 200, or the container stops. */
    private static void awaitReady(String container, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            try {
                if (Http.get("http://127.0.0.1:" + port + "/health/ready", null).statusCode() == 200) return;
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            String state = Podman.run("inspect", "--format", "{{.State.Running}}", container).output().trim();
            if (!state.equals("true")) throw new AssertionError("container stopped:\n" + Podman.run("logs", container).output());
            Thread.sleep(200);
        }
        throw new AssertionError("not ready in 180 s:\n" + Podman.run("logs", container).output());
    }

    /** The server applies a rule made by the CLI within its recheck interval: polls until its tokens grant the action. */
    private static void awaitGranted(String issuer, String action) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String url = issuer + "/oauth2/token?service=" + DockerRegistry.SERVICE + "&scope=repository:jeton/jeton:pull," + action;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = Http.get(url, Http.basic("admin", ADMIN_PASSWORD));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            String jwt = new ObjectMapper().readTree(answer.body()).path("token").asText();
            JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
            for (JsonNode access : claims.path("access")) {
                for (JsonNode a : access.path("actions")) if (a.asText().equals(action)) return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the rule was not applied within 60 s");
    }

    /** The real user id of the container's main process, from the host's /proc. */
    private static String uidOf(String container) throws Exception {
        String pid = Podman.run("inspect", "--format", "{{.State.Pid}}", container).orFail("podman inspect").output().trim();
        return Files.readAllLines(Path.of("/proc", pid, "status")).stream().filter(l -> l.startsWith("Uid:"))
                .map(l -> l.split("\\s+")[1]).findFirst().orElseThrow();
    }

    private static String cli(String container, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("exec", container, "/opt/jeton/java/bin/java", "-jar", "/opt/jeton/jeton.jar"));
        command.addAll(List.of(args));
        return Podman.run(120, command).orFail("jeton " + String.join(" ", args)).output();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
