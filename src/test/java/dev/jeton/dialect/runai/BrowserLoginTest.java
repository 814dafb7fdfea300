package dev.jeton.dialect.runai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.Browser;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.LoginFlow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
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
 * The Run:ai CLI's login, in a real headless Chromium: the authorize URL, a wrong then a right
 * password on Jeton's login page, the redirect to the application, the code exchanged through
 * /v1/k8s/auth/token/exchange, and the replayed code refused.
 */
class BrowserLoginTest {
    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static HttpServer callback;
    static CompletableFuture<String> callbackQuery = new CompletableFuture<>();
    static String redirectUri;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        jeton = Jetons.start(dir.resolve("jeton"));
        callback = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        callback.createContext("/callback", exchange -> {
            callbackQuery.complete(exchange.getRequestURI().getRawQuery());
            byte[] page = "<!doctype html><title>Signed in</title><p>You can close this window.</p>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        callback.start();
        redirectUri = "http://127.0.0.1:" + callback.getAddress().getPort() + "/callback";
        jeton.wiring().admin().accounts().addUser("judy", new Secret("judy-password"), List.of());
        jeton.wiring().admin().accounts().addClient(new ClientSpec("runai-cli", Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN),
                Set.of("openid"), List.of(), List.of(redirectUri), null, null, RefreshPolicy.ROTATING, true));
        browser = Browser.start(Files.createDirectories(dir.resolve("chromium-profile")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (callback != null) callback.stop(0);
        if (jeton != null) jeton.close();
    }

    @Test
    void loginInChromiumThenCodeExchangedOnceThroughRunai() throws Exception {
        String verifier = LoginFlow.verifier();
        browser.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "runai-cli", redirectUri, "openid", "cli-state", LoginFlow.challenge(verifier)));
        assertThat(browser.getTitle()).isEqualTo("Sign in · Jeton");
        Path screenshots = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(screenshots.resolve("login-page.png"), browser.getScreenshotAs(OutputType.BYTES));

        browser.findElement(By.id("username")).sendKeys("judy");
        browser.findElement(By.id("password")).sendKeys("not-her-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(browser.findElement(By.cssSelector(".error")).getText()).isEqualTo("Incorrect username or password.");
        assertThat(browser.findElement(By.id("username")).getAttribute("value")).isEqualTo("judy");
        Files.write(screenshots.resolve("login-page-error.png"), browser.getScreenshotAs(OutputType.BYTES));

        browser.findElement(By.id("password")).sendKeys("judy-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        String query = callbackQuery.get(20, TimeUnit.SECONDS);
        assertThat(browser.getCurrentUrl()).startsWith(redirectUri + "?code=");
        assertThat(query).contains("state=cli-state");
        String code = java.net.URLDecoder.decode(query.replaceAll(".*code=([^&]+).*", "$1"), StandardCharsets.UTF_8);

        String exchange = jeton.baseUrl() + "/v1/k8s/auth/token/exchange?redirect_uri=" + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8)
                + "&code=" + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&code_verifier=" + verifier;
        HttpResponse<String> first = Http.get(exchange, null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        var tokens = new ObjectMapper().readTree(first.body());
        assertThat(tokens.get("accessToken").asText()).isNotBlank();
        assertThat(tokens.get("idToken").asText()).isNotBlank();

        HttpResponse<String> replay = Http.get(exchange, null);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("already used");
    }
}
