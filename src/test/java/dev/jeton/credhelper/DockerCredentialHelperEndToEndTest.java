package dev.jeton.credhelper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.model.Secret;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Browser;
import dev.jeton.support.DockerRegistry;
import dev.jeton.support.Http;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.Jetons;
import dev.jeton.support.OciImage;
import dev.jeton.support.Skopeo;
import dev.jeton.support.Skopeo.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-credential-jeton with real parts: skopeo, configured with credHelpers, pushes to Docker
 * Distribution through the helper (installed by {@code jeton credential-helper install}), while
 * headless Chromium plays the user: opens the verification page the helper hands to
 * {@code $BROWSER}, enters the code, signs in and approves. A second push asks nobody; after
 * {@code erase} the token is revoked, and a new sign-in that the user denies leaves the push refused.
 */
class DockerCredentialHelperEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static DockerRegistry registry;
    static Skopeo skopeo;
    static Path image;
    static Path bin;
    static Path configDir;
    static Path opened;
    static Path authFile;
    static ChromeDriver browser;
    static Path screenshots;

    @BeforeAll
    static void start() throws Exception {
        jeton = Jetons.start(dir.resolve("jeton"));
        var admin = jeton.wiring().admin();
        admin.accounts().addUser("dora", new Secret("dora-password"), List.of("team-a"));
        admin.rules().add("group:team-a", "team-a/*", Set.of("pull", "push"));
        // As the README registers the helper's client.
        InProcessCli.Result client = InProcessCli.run(null, "client", "add", "docker-credential-jeton", "--public", "--grant", "device_code",
                "--scope", "registry", "--audience", DockerRegistry.SERVICE, "--data-dir", dir.resolve("jeton").toString());
        assertThat(client.code()).as(client.err()).isZero();
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, admin.keys().certificateBundle());
        registry = DockerRegistry.start(Files.createDirectories(dir.resolve("registry")), jeton.baseUrl(), bundle);
        image = OciImage.write(dir.resolve("image"), "pushed through docker-credential-jeton\n");

        Path home = Files.createDirectories(dir.resolve("home"));
        bin = Files.createDirectories(dir.resolve("bin"));
        configDir = home.resolve(".config/jeton");
        // The browser the helper opens: it hands the URL over to the test, which plays the user in Chromium.
        opened = dir.resolve("opened-url");
        Path fakeBrowser = executable(dir.resolve("browser"), "#!/bin/sh\nprintf '%s' \"$1\" > '" + opened + ".tmp' && mv '" + opened
                + ".tmp' '" + opened + "'\n");
        InProcessCli.Result installed = InProcessCli.run(null, "credential-helper", "install", "--dir", bin.toString(), "--server",
                jeton.baseUrl(), "--registry", registry.address(), "--config-dir", configDir.toString(), "--launcher", testLauncher().toString());
        assertThat(installed.code()).as(installed.err()).isZero();
        assertThat(installed.out()).contains("{\"credHelpers\": {\"" + registry.address() + "\": \"jeton\"}}");
        authFile = dir.resolve("auth.json");
        Files.writeString(authFile, "{\"credHelpers\":{\"" + registry.address() + "\":\"jeton\"}}");
        skopeo = new Skopeo(home).withEnvironment(Map.of("PATH", bin + ":" + System.getenv("PATH"), "BROWSER", fakeBrowser.toString()));
        browser = Browser.start(Files.createDirectories(dir.resolve("chromium-profile")));
        screenshots = Files.createDirectories(Path.of("target", "screenshots"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (registry != null) registry.close();
        if (jeton != null) jeton.close();
    }

    /** What the installed script runs: Jeton's main class on the test class path (the launcher would build a jar). */
    private static Path testLauncher() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return executable(dir.resolve("jeton-launcher"), "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + classpath + "' dev.jeton.Jeton \"$@\"\n");
    }

    private static Path executable(Path file, String content) throws Exception {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** The URL the helper opened, once it has: it starts a JVM and asks Jeton first. */
    private static String awaitOpenedUrl(CompletableFuture<Result> push) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(opened)) {
            if (push.isDone()) throw new AssertionError("skopeo finished without a sign-in: " + push.get().output());
            if (System.nanoTime() > deadline) throw new AssertionError("the helper opened no browser");
            Thread.sleep(100);
        }
        String url = Files.readString(opened);
        Files.delete(opened);
        return url;
    }

    /** Runs the installed docker-credential-jeton as Docker does: one argument, the input on stdin. */
    private static Result helper(String command, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("docker-credential-jeton").toString(), command);
        pb.environment().put("HOME", skopeo.home().toString());
        pb.environment().remove("XDG_CONFIG_HOME");
        pb.environment().remove("JETON_CONFIG_DIR");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static void assertOk(Result r) throws Exception {
        assertThat(r.ok()).as("skopeo: %s%nregistry log:%n%s", r.output(), registry.log()).isTrue();
    }

    @Test
    void pushWhenSignedInThroughTheDeviceFlowThenOnlyTheFirstAsksAndEraseEndsIt() throws Exception {
        CompletableFuture<Result> first = CompletableFuture.supplyAsync(() -> push("team-a/app:1"));
        String url = awaitOpenedUrl(first);
        assertThat(url).startsWith(jeton.baseUrl() + "/oidc/device?user_code=");
        String userCode = decoded(url.substring(url.indexOf("user_code=") + "user_code=".length()));

        // The user goes to the verification page and types the code from the terminal, lower case, without the hyphen.
        browser.get(jeton.baseUrl() + "/oidc/device");
        assertThat(browser.getTitle()).isEqualTo("Connect a device · Jeton");
        Files.write(screenshots.resolve("device-code.png"), browser.getScreenshotAs(OutputType.BYTES));
        browser.findElement(By.id("user_code")).sendKeys(userCode.replace("-", "").toLowerCase());
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        Browser.awaitTitle(browser, "Approve device · Jeton");
        assertThat(browser.findElement(By.id("user-code")).getText()).isEqualTo(userCode);
        assertThat(browser.findElement(By.cssSelector("p.app strong")).getText()).isEqualTo("docker-credential-jeton");
        assertThat(browser.findElement(By.cssSelector("ul.scopes")).getText()).contains("registry");
        Files.write(screenshots.resolve("device-approve.png"), browser.getScreenshotAs(OutputType.BYTES));
        browser.findElement(By.id("username")).sendKeys("dora");
        browser.findElement(By.id("password")).sendKeys("dora-password");
        browser.findElement(By.id("approve")).click();
        Browser.awaitTitle(browser, "Device approved · Jeton");
        Files.write(screenshots.resolve("device-approved.png"), browser.getScreenshotAs(OutputType.BYTES));

        Result pushed = first.get(180, TimeUnit.SECONDS);
        assertOk(pushed);
        // containers/image passes the helper's stderr through: the terminal showed where to sign in.
        assertThat(pushed.output()).contains("To let this computer use " + registry.address() + ", sign in at Jeton:")
                .contains("enter the code " + userCode).contains("Signed in to " + registry.address());
        assertThat(registry.log()).contains("auth.user.name=dora");
        Path tokenFile = configDir.resolve(TokenFile.FILE);
        assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        JsonNode kept = JSON.readTree(tokenFile.toFile()).get(registry.address());
        assertThat(kept.get("username").asText()).isEqualTo("<token>");
        String identityToken = kept.get("secret").asText();

        // Docker's view: get returns the identity token; list names the registry.
        Result got = helper("get", registry.address());
        assertThat(got.ok()).as(got.output()).isTrue();
        assertThat(JSON.readTree(got.output()).get("Username").asText()).isEqualTo("<token>");
        assertThat(JSON.readTree(got.output()).get("Secret").asText()).isEqualTo(identityToken);
        assertThat(JSON.readTree(helper("list", "").output()).get(registry.address()).asText()).isEqualTo("<token>");

        // A second push: the kept token, nobody asked.
        assertOk(push("team-a/app:2"));
        assertThat(opened).doesNotExist();

        Result erased = helper("erase", registry.address());
        assertThat(erased.ok()).as(erased.output()).isTrue();
        assertThat(JSON.readTree(tokenFile.toFile()).has(registry.address())).isFalse();
        HttpResponse<String> revoked = Http.postForm(jeton.baseUrl() + "/oauth2/token", "grant_type=refresh_token&client_id=containers%2Fimage"
                + "&service=" + DockerRegistry.SERVICE + "&scope=" + URLEncoder.encode("repository:team-a/app:push", StandardCharsets.UTF_8)
                + "&refresh_token=" + identityToken, null);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).contains("refresh token has been revoked");
        AuditTrail.of(dir.resolve("jeton")).await("event", "revoked", "subject", "dora", "client_id", "docker-credential-jeton");

        // After erase, pushing asks again; the user refuses, and the push is refused.
        CompletableFuture<Result> third = CompletableFuture.supplyAsync(() -> push("team-a/app:3"));
        browser.get(awaitOpenedUrl(third));
        browser.findElement(By.id("deny")).click();
        Browser.awaitTitle(browser, "Request denied · Jeton");
        Files.write(screenshots.resolve("device-denied.png"), browser.getScreenshotAs(OutputType.BYTES));
        Result refused = third.get(180, TimeUnit.SECONDS);
        assertThat(refused.ok()).as(refused.output()).isFalse();
        assertThat(refused.output()).contains("was denied at Jeton");
        AuditTrail.of(dir.resolve("jeton")).await("event", "refused", "grant", "device_code", "reason", "device.denied");
    }

    @Test
    void helperWhenAskedAboutARegistryWithoutJetonThenNotFoundAndStoredCredentialsComeBack() throws Exception {
        Result none = helper("get", "https://elsewhere.example:5000/v2/");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.output().strip()).isEqualTo("credentials not found in native keychain");
        assertThat(helper("erase", "elsewhere.example:5000").output().strip()).isEqualTo("credentials not found in native keychain");

        assertThat(helper("store", "{\"ServerURL\":\"https://elsewhere.example:5000\",\"Username\":\"ci\",\"Secret\":\"s3cret\"}").ok()).isTrue();
        JsonNode got = JSON.readTree(helper("get", "elsewhere.example:5000").output());
        assertThat(got.get("Username").asText()).isEqualTo("ci");
        assertThat(got.get("Secret").asText()).isEqualTo("s3cret");
        assertThat(helper("erase", "elsewhere.example:5000").ok()).isTrue();
        assertThat(helper("get", "elsewhere.example:5000").output().strip()).isEqualTo("credentials not found in native keychain");

        Result bad = helper("store", "not json");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.output()).contains("store expects");
        assertThat(helper("version", "").output()).startsWith("docker-credential-jeton (jeton ");
    }

    private static Result push(String reference) {
        try {
            return skopeo.pushWithAuthFile(image, registry.address(), reference, authFile);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String decoded(String s) { return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8); }
}
