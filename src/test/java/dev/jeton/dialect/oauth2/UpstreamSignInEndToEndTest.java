package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Browser;
import dev.jeton.support.DockerRegistry;
import dev.jeton.support.Http;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.Jetons;
import dev.jeton.support.LoginFlow;
import dev.jeton.support.OciImage;
import dev.jeton.support.Skopeo;
import dev.jeton.support.UpstreamJetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Sign in with corp" with real parts only: the upstream provider is a second Jeton, on which
 * the first is registered as a confidential OIDC client; a user of the upstream signs in through
 * it in headless Chromium, the application gets a code at the first Jeton, and the user, created
 * there with the upstream's groups, pulls from Docker Distribution (skopeo) by a rule for the group.
 */
class UpstreamSignInEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZERO_GUID = "00000000-0000-0000-0000-000000000000";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static Jetons.Running corp;
    static HttpServer app;
    static final java.util.concurrent.atomic.AtomicReference<CompletableFuture<String>> appQuery =
            new java.util.concurrent.atomic.AtomicReference<>(new CompletableFuture<>());
    static String redirectUri;
    static ChromeDriver browser;
    static DockerRegistry registry;
    static Skopeo skopeo;

    @BeforeAll
    static void start() throws Exception {
        corp = Jetons.start(dir.resolve("corp"));
        jeton = Jetons.start(dir.resolve("jeton"));
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/callback", exchange -> {
            appQuery.get().complete(exchange.getRequestURI().getRawQuery());
            byte[] page = "<!doctype html><title>Signed in</title><p>Back in the application.</p>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        app.start();
        redirectUri = "http://127.0.0.1:" + app.getAddress().getPort() + "/callback";

        // The upstream: its user, and Jeton registered at it and added as an operator adds it.
        corp.wiring().admin().accounts().addUser("dana", new Secret("dana-password"), List.of("builders"));
        InProcessCli.Result added = UpstreamJetons.link(corp, jeton, dir.resolve("jeton"), "corp", "jeton-a", dir);
        assertThat(added.json().get("issuer").asText()).isEqualTo(corp.baseUrl());

        // Jeton: an application, and registry rules by group.
        jeton.wiring().admin().accounts().addClient(new ClientSpec("app", Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN),
                Set.of("openid"), List.of(), List.of(redirectUri), null, null, RefreshPolicy.ROTATING, true));
        jeton.wiring().admin().accounts().addClient(new ClientSpec("runai-cli", Set.of(GrantType.AUTHORIZATION_CODE,
                GrantType.REFRESH_TOKEN), Set.of("openid"), List.of(), List.of(redirectUri), null, null, RefreshPolicy.ROTATING, true));
        jeton.wiring().admin().accounts().addUser("ops", new Secret("ops-password"), List.of());
        jeton.wiring().admin().rules().add("user:ops", "team-b/*", Set.of("pull", "push"));
        jeton.wiring().admin().rules().add("group:builders", "team-b/*", Set.of("pull"));

        Path bundle = Files.writeString(dir.resolve("bundle.pem"), jeton.wiring().admin().keys().certificateBundle());
        registry = DockerRegistry.start(Files.createDirectories(dir.resolve("registry")), jeton.baseUrl(), bundle);
        skopeo = new Skopeo(dir.resolve("skopeo"));
        Skopeo.Result pushed = skopeo.push(OciImage.write(dir.resolve("image"), "built by ops\n"), registry.address(), "team-b/tool:1",
                "ops:ops-password");
        assertThat(pushed.ok()).as(pushed.output()).isTrue();
        browser = Browser.start(Files.createDirectories(dir.resolve("chromium-profile")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (registry != null) registry.close();
        if (app != null) app.stop(0);
        if (jeton != null) jeton.close();
        if (corp != null) corp.close();
    }

    @Test
    void signInThroughUpstreamJetonInChromiumThenCodeTokenAndPullByUpstreamGroup() throws Exception {
        appQuery.set(new CompletableFuture<>());
        String verifier = LoginFlow.verifier();
        browser.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "app", redirectUri, "openid", "app-state", LoginFlow.challenge(verifier)));
        assertThat(browser.getTitle()).isEqualTo("Sign in · Jeton");
        var button = browser.findElement(By.cssSelector("a.upstream"));
        assertThat(button.getText()).isEqualTo("Sign in with corp");
        Path screenshots = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(screenshots.resolve("login-page-upstream.png"), browser.getScreenshotAs(OutputType.BYTES));

        button.click();
        // Now on the upstream's own login page, the second Jeton's.
        assertThat(browser.getCurrentUrl()).startsWith(corp.baseUrl() + "/oidc/authorize?");
        assertThat(browser.findElement(By.cssSelector("p.app strong")).getText()).isEqualTo("jeton-a");
        browser.findElement(By.id("username")).sendKeys("dana");
        browser.findElement(By.id("password")).sendKeys("dana-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        String query = appQuery.get().get(30, TimeUnit.SECONDS);
        assertThat(browser.getCurrentUrl()).startsWith(redirectUri + "?code=");
        assertThat(query).contains("state=app-state").contains("iss=" + java.net.URLEncoder.encode(jeton.baseUrl(), StandardCharsets.UTF_8));
        String code = URLDecoder.decode(query.replaceAll(".*code=([^&]+).*", "$1"), StandardCharsets.UTF_8);

        HttpResponse<String> tokenResponse = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=authorization_code&client_id=app"
                + "&code=" + code + "&redirect_uri=" + redirectUri + "&code_verifier=" + verifier, null);
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        JsonNode tokens = JSON.readTree(tokenResponse.body());
        var idToken = SignedJWT.parse(tokens.get("id_token").asText()).getJWTClaimsSet();
        assertThat(idToken.getIssuer()).isEqualTo(jeton.baseUrl());
        assertThat(idToken.getStringClaim("preferred_username")).isEqualTo("dana");
        // The sign-in started a Jeton login session: the same browser's next request gets a code without a page.
        String sid = idToken.getStringClaim("sid");
        assertThat(jeton.wiring().admin().sessions().list("dana")).anySatisfy(l -> assertThat(l.session().id()).isEqualTo(sid));
        appQuery.set(new CompletableFuture<>());
        browser.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "app", redirectUri, "openid", "silent", LoginFlow.challenge(verifier))
                + "&prompt=none");
        assertThat(appQuery.get().get(30, TimeUnit.SECONDS)).contains("code=").contains("state=silent");

        // Created here on first sign-in, with the upstream's groups, and no password.
        User dana = jeton.wiring().admin().accounts().users().stream().filter(u -> u.name().equals("dana")).findFirst().orElseThrow();
        assertThat(dana.groups()).containsExactly("builders");
        assertThat(dana.passwordHash()).isNull();
        assertThat(idToken.getSubject()).isEqualTo(dana.id());
        AuditTrail.of(dir.resolve("jeton")).await(l -> l.path("action").asText().equals("user.provision")
                && l.path("target").asText().equals("dana") && l.path("detail").asText().contains("from upstream corp"));

        // The registry rule for the group lets her pull; it gives no push.
        String registryToken = JSON.readTree(Http.postForm(jeton.baseUrl() + "/oauth2/exchange", "grant_type=access_token&service="
                + DockerRegistry.SERVICE + "&access_token=" + tokens.get("access_token").asText(), null).body()).get("refresh_token").asText();
        Path pulled = Files.createDirectories(dir.resolve("pulled"));
        Skopeo.Result pull = skopeo.pull(registry.address(), "team-b/tool:1", pulled, ZERO_GUID + ":" + registryToken);
        assertThat(pull.ok()).as("skopeo: %s%nregistry log:%n%s", pull.output(), registry.log()).isTrue();
        // The registry's token for the pull was Jeton's answer to dana, by the group's rule.
        AuditTrail.of(dir.resolve("jeton")).await(l -> l.path("event").asText().equals("issued") && l.path("dialect").asText().equals("registry")
                && l.path("subject").asText().equals("dana") && l.toString().contains("team-b/tool"));
        Skopeo.Result push = skopeo.push(OciImage.write(dir.resolve("image2"), "not hers\n"), registry.address(), "team-b/tool:2",
                ZERO_GUID + ":" + registryToken);
        assertThat(push.ok()).isFalse();
        assertThat(push.output()).containsAnyOf("denied", "unauthorized");

        // The finished sign-in was taken once: the same authorize request now shows the login page again.
        HttpResponse<String> again = Http.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "app", redirectUri, "openid", "app-state",
                LoginFlow.challenge(verifier)), null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("Sign in with corp");

        // The provider's answer replayed in the browser: a page that says so, not a redirect.
        browser.get(jeton.baseUrl() + "/oidc/upstream/callback?code=replayed&state=not-a-state-of-ours");
        assertThat(browser.getTitle()).isEqualTo("Cannot sign in · Jeton");
        assertThat(browser.findElement(By.cssSelector(".error")).getText())
                .isEqualTo("This sign-in is unknown, expired or already used. Start again from the application.");
        Files.write(screenshots.resolve("upstream-callback-error.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void runaiBrowserLoginWhenSignedInThroughUpstreamThenCodeExchangedAtRunaiForTheSameLinkedUser() throws Exception {
        appQuery.set(new CompletableFuture<>());
        String verifier = LoginFlow.verifier();
        // A fresh browser profile: no cookie of an earlier sign-in helps.
        ChromeDriver cli = Browser.start(Files.createDirectories(dir.resolve("runai-profile")));
        try {
            cli.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "runai-cli", redirectUri, "openid", "runai-state", LoginFlow.challenge(verifier)));
            cli.findElement(By.linkText("Sign in with corp")).click();
            assertThat(cli.getCurrentUrl()).startsWith(corp.baseUrl() + "/oidc/authorize?");
            cli.findElement(By.id("username")).sendKeys("dana");
            cli.findElement(By.id("password")).sendKeys("dana-password");
            cli.findElement(By.cssSelector("button[type=submit]")).click();
            String query = appQuery.get().get(30, TimeUnit.SECONDS);
            assertThat(query).contains("state=runai-state");
            String code = URLDecoder.decode(query.replaceAll(".*code=([^&]+).*", "$1"), StandardCharsets.UTF_8);

            HttpResponse<String> exchanged = Http.get(jeton.baseUrl() + "/v1/k8s/auth/token/exchange?redirect_uri="
                    + java.net.URLEncoder.encode(redirectUri, StandardCharsets.UTF_8) + "&code=" + java.net.URLEncoder.encode(code,
                    StandardCharsets.UTF_8) + "&code_verifier=" + verifier, null);
            assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
            var idToken = SignedJWT.parse(JSON.readTree(exchanged.body()).get("idToken").asText()).getJWTClaimsSet();
            assertThat(idToken.getStringClaim("preferred_username")).isEqualTo("dana");
            // One Jeton user for one upstream account, however often it signs in.
            assertThat(jeton.wiring().admin().accounts().users().stream().filter(u -> u.name().equals("dana"))).hasSize(1);
        } finally {
            cli.quit();
        }
    }

    @Test
    void upstreamCommandsWhenListedShownAndRemovedThenTheSecretNeverShows() throws Exception {
        Path data = dir.resolve("cli-only");
        Path secretFile = Files.writeString(dir.resolve("other-secret.txt"), "s3cret-value-of-other\n");
        Jetons.config(data, java.util.Map.of());
        InProcessCli.Result add = InProcessCli.run(null, "upstream", "add", "other", "--data-dir", data.toString(),
                "--issuer", "https://login.example.com/realms/x", "--client-id", "jeton", "--client-secret-file", secretFile.toString(),
                "--claim-user", "email", "--allowed-domain", "example.com,Example.org");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out()).contains("redirect URI to register at the provider: ").contains("/oidc/upstream/callback");
        InProcessCli.Result list = InProcessCli.run(null, "upstream", "list", "--data-dir", data.toString(), "--json");
        assertThat(list.json().get(0).get("allowed_domains").toString()).isEqualTo("[\"example.com\",\"example.org\"]");
        InProcessCli.Result show = InProcessCli.run(null, "upstream", "show", "other", "--data-dir", data.toString());
        assertThat(show.out()).contains("claim_user: email").doesNotContain("s3cret");
        InProcessCli.Result duplicate = InProcessCli.run(null, "upstream", "add", "other", "--data-dir", data.toString(),
                "--issuer", "https://login.example.com", "--client-id", "jeton", "--client-secret-file", secretFile.toString());
        assertThat(duplicate.code()).isEqualTo(1);
        assertThat(duplicate.err()).contains("other");
        InProcessCli.Result badIssuer = InProcessCli.run(null, "upstream", "add", "bad", "--data-dir", data.toString(),
                "--issuer", "ftp://x", "--client-id", "jeton", "--client-secret-file", secretFile.toString());
        assertThat(badIssuer.err()).contains("the issuer must be an https://");
        assertThat(InProcessCli.run(null, "upstream", "remove", "other", "--data-dir", data.toString()).out()).contains("removed upstream other");
        assertThat(InProcessCli.run(null, "upstream", "remove", "other", "--data-dir", data.toString()).err()).contains("no upstream named other");
        assertThat(AuditTrail.of(data).rawText()).contains("upstream.add").contains("upstream.remove").doesNotContain("s3cret");
    }
}
