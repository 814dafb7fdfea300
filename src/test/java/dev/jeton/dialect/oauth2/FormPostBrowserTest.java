package dev.jeton.dialect.oauth2;

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
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * response_mode=form_post in headless Chromium: after the login the browser posts the code to the
 * relying party by itself, which shows that the page's script runs under its own CSP (no inline
 * script), and the posted code redeems.
 */
class FormPostBrowserTest {
    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static HttpServer relyingParty;
    static final CompletableFuture<String> posted = new CompletableFuture<>();
    static String redirectUri;
    static String secret;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        jeton = Jetons.start(dir.resolve("jeton"));
        relyingParty = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        relyingParty.createContext("/cb", exchange -> {
            if (exchange.getRequestMethod().equals("POST")) posted.complete(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] page = "<!doctype html><title>Signed in</title><p>Welcome.</p>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        relyingParty.start();
        redirectUri = "http://127.0.0.1:" + relyingParty.getAddress().getPort() + "/cb";
        jeton.wiring().admin().accounts().addUser("mia", new Secret("mia-password"), List.of());
        secret = jeton.wiring().admin().accounts().addClient(new ClientSpec("poster", Set.of(GrantType.AUTHORIZATION_CODE), Set.of("openid"),
                List.of(), List.of(redirectUri), null, null, RefreshPolicy.ROTATING, false)).secret().value();
        browser = Browser.start(Files.createDirectories(dir.resolve("chromium-profile")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (relyingParty != null) relyingParty.stop(0);
        if (jeton != null) jeton.close();
    }

    @Test
    void formPostWhenLoggedInThenTheBrowserPostsCodeAndStateToTheRelyingPartyUnderTheCsp() throws Exception {
        browser.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "poster", redirectUri, "openid", "fp-state", null) + "&response_mode=form_post");
        browser.findElement(By.id("username")).sendKeys("mia");
        browser.findElement(By.id("password")).sendKeys("mia-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        Map<String, String> form = parse(posted.get(30, TimeUnit.SECONDS));
        assertThat(form).containsEntry("state", "fp-state").containsEntry("iss", jeton.baseUrl()).containsKey("code");
        assertThat(browser.findElement(By.tagName("p")).getText()).isEqualTo("Welcome.");
        // Nothing clicked the page's button: the POST arriving means its script ran under the page's CSP.

        HttpResponse<String> tokens = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=authorization_code&code="
                + java.net.URLEncoder.encode(form.get("code"), StandardCharsets.UTF_8) + "&redirect_uri=" + redirectUri, Http.basic("poster", secret));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(tokens.body()).contains("\"id_token\"");
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
