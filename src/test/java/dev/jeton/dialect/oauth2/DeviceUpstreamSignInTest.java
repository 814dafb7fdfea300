package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Browser;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import dev.jeton.support.UpstreamJetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device flow with "Sign in with corp", real parts only: a device authorization started over
 * HTTP, headless Chromium playing the user on the verification page, a second Jeton as the
 * upstream provider, and the device's poll at the token endpoint. Jeton's clock is a MutableClock,
 * so the polling interval is passed by advancing it, not by waiting.
 */
class DeviceUpstreamSignInTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static MutableClock clock;
    static Jetons.Running jeton;
    static Jetons.Running corp;
    static Path screenshots;

    @BeforeAll
    static void start() throws Exception {
        corp = Jetons.start(dir.resolve("corp"));
        clock = MutableClock.startingNow();
        jeton = Jetons.start(dir.resolve("jeton"), clock, Map.of());

        // The upstream: its user, and Jeton registered at it and added as an operator adds it.
        corp.wiring().admin().accounts().addUser("dana", new Secret("dana-password"), List.of("builders"));
        UpstreamJetons.link(corp, jeton, dir.resolve("jeton"), "corp", "jeton-a", dir);

        // The command-line tool: a public client of the device grant.
        jeton.wiring().admin().accounts().addClient(new ClientSpec("cli", Set.of(GrantType.DEVICE_CODE, GrantType.REFRESH_TOKEN),
                Set.of("openid", "profile"), List.of(), List.of(), null, null, RefreshPolicy.ROTATING, true));
        screenshots = Files.createDirectories(Path.of("target", "screenshots"));
    }

    @AfterAll
    static void stop() {
        if (jeton != null) jeton.close();
        if (corp != null) corp.close();
    }

    @Test
    void deviceFlowWhenUserSignsInThroughUpstreamAndApprovesThenThePollGetsTokensForTheLinkedUser() throws Exception {
        JsonNode started = started();
        String userCode = started.get("user_code").asText();
        String deviceCode = started.get("device_code").asText();
        assertThat(error(poll(deviceCode))).isEqualTo("authorization_pending");

        ChromeDriver browser = Browser.start(Files.createDirectories(dir.resolve("profile-approve")));
        try {
            // Tall enough that the screenshot shows the provider's button below the password form.
            browser.manage().window().setSize(new Dimension(1000, 900));
            browser.get(started.get("verification_uri_complete").asText());
            assertThat(browser.getTitle()).isEqualTo("Approve device · Jeton");
            var button = browser.findElement(By.cssSelector("a.upstream"));
            assertThat(button.getText()).isEqualTo("Sign in with corp");
            Files.write(screenshots.resolve("device-approve-upstream.png"), browser.getScreenshotAs(OutputType.BYTES));

            signInAtCorp(browser, button);
            // Back on this code's page, signed in: only the decision is left.
            assertThat(browser.findElement(By.id("signed-in")).getText()).isEqualTo("Signed in as dana.");
            assertThat(browser.getCurrentUrl()).isEqualTo(jeton.baseUrl() + "/oidc/device?user_code=" + userCode);
            assertThat(browser.findElement(By.id("user-code")).getText()).isEqualTo(userCode);
            assertThat(browser.getPageSource()).doesNotContain("id=\"password\"");
            assertThat(browser.findElement(By.id("approve")).getText()).isEqualTo("Approve as dana");
            Files.write(screenshots.resolve("device-approve-signed-in-upstream.png"), browser.getScreenshotAs(OutputType.BYTES));
            browser.findElement(By.id("approve")).click();
            assertThat(browser.findElement(By.cssSelector("p.done")).getText()).startsWith("cli is signed in.");
            assertThat(browser.getTitle()).isEqualTo("Device approved · Jeton");
        } finally {
            browser.quit();
        }

        clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> tokens = poll(deviceCode);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JsonNode t = JSON.readTree(tokens.body());
        User dana = jeton.wiring().admin().accounts().users().stream().filter(u -> u.name().equals("dana")).findFirst().orElseThrow();
        assertThat(dana.passwordHash()).isNull();
        assertThat(dana.groups()).containsExactly("builders");
        assertThat(SignedJWT.parse(t.get("id_token").asText()).getJWTClaimsSet().getSubject()).isEqualTo(dana.id());
        assertThat(SignedJWT.parse(t.get("access_token").asText()).getJWTClaimsSet().getSubject()).isEqualTo(dana.id());
        HttpResponse<String> me = Http.get(jeton.baseUrl() + "/oidc/userinfo", "Bearer " + t.get("access_token").asText());
        assertThat(JSON.readTree(me.body()).get("preferred_username").asText()).isEqualTo("dana");
        AuditTrail.of(dir.resolve("jeton")).await("event", "issued", "grant", "device_code", "subject", "dana", "client_id", "cli");
    }

    @Test
    void upstreamSignInWhenReturnedForOneCodeThenAnotherCodeIsNotApprovedWithIt() throws Exception {
        JsonNode first = started();
        JsonNode second = started();
        String firstCode = first.get("user_code").asText();
        String secondCode = second.get("user_code").asText();

        ChromeDriver browser = Browser.start(Files.createDirectories(dir.resolve("profile-refuse")));
        try {
            browser.get(first.get("verification_uri_complete").asText());
            signInAtCorp(browser, browser.findElement(By.cssSelector("a.upstream")));
            assertThat(browser.findElement(By.id("signed-in")).getText()).isEqualTo("Signed in as dana.");
            assertThat(browser.findElement(By.id("approve")).getText()).isEqualTo("Approve as dana");

            // The other code's page does not know the sign-in: it asks for one.
            browser.get(second.get("verification_uri_complete").asText());
            assertThat(browser.findElement(By.id("user-code")).getText()).isEqualTo(secondCode);
            assertThat(browser.getPageSource()).doesNotContain("id=\"signed-in\"");
            assertThat(browser.findElement(By.id("approve")).getText()).isEqualTo("Sign in and approve");

            // The first code's approval form, altered in the page to approve the second code with that sign-in: refused.
            browser.get(first.get("verification_uri_complete").asText());
            assertThat(browser.findElement(By.id("approve")).getText()).isEqualTo("Approve as dana");
            browser.executeScript("document.querySelector('input[name=user_code]').value = arguments[0]", secondCode);
            browser.findElement(By.id("approve")).click();
            assertThat(browser.findElement(By.cssSelector(".error")).getText())
                    .isEqualTo("Your sign-in with the identity provider has expired or was made for another code. Sign in again.");
            assertThat(browser.findElement(By.id("user-code")).getText()).isEqualTo(secondCode);
            assertThat(browser.findElement(By.cssSelector("a.upstream")).getText()).isEqualTo("Sign in with corp");
            AuditTrail.of(dir.resolve("jeton")).await("event", "refused", "grant", "device_verification", "client_id", "cli",
                    "reason", "device.upstream_signin_missing");
            clock.advance(Duration.ofSeconds(5));
            assertThat(error(poll(second.get("device_code").asText()))).isEqualTo("authorization_pending");

            // The sign-in still belongs to the first code, and is taken once by its approval.
            browser.get(first.get("verification_uri_complete").asText());
            browser.findElement(By.id("approve")).click();
            assertThat(browser.findElement(By.cssSelector("p.done")).getText()).startsWith("cli is signed in.");
            clock.advance(Duration.ofSeconds(5));
            HttpResponse<String> tokens = poll(first.get("device_code").asText());
            assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
            assertThat(error(poll(second.get("device_code").asText()))).isEqualTo("authorization_pending");
            assertThat(firstCode).isNotEqualTo(secondCode);
        } finally {
            browser.quit();
        }
    }

    /** On the upstream Jeton's own login page, dana signs in; corp sends the browser back through Jeton's callback. */
    private static void signInAtCorp(ChromeDriver browser, org.openqa.selenium.WebElement button) {
        button.click();
        // The upstream's login page names the client it signs in for: Jeton, registered there as jeton-a.
        browser.findElement(By.cssSelector("input[name=client_id][value=jeton-a]"));
        assertThat(browser.getCurrentUrl()).startsWith(corp.baseUrl() + "/oidc/authorize?");
        browser.findElement(By.id("username")).sendKeys("dana");
        browser.findElement(By.id("password")).sendKeys("dana-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private static JsonNode started() throws Exception {
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oidc/device_authorization", "client_id=cli&scope=openid+profile", null);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    private static HttpResponse<String> poll(String deviceCode) {
        return Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=" + enc("urn:ietf:params:oauth:grant-type:device_code")
                + "&client_id=cli&device_code=" + enc(deviceCode), null);
    }

    private static String error(HttpResponse<String> res) throws Exception {
        return JSON.readTree(res.body()).path("error").asText();
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
