package dev.jeton.admin.console;

import dev.jeton.model.Secret;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Browser;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in headless Chromium, as an admin uses it: sign in through Jeton's login page,
 * create a client, rotate its secret (both secrets then work), assign an identity to a node,
 * read the audit log and a principal's page. Each page is kept as target/screenshots/console-*.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final Path SHOTS = Path.of("target", "screenshots");
    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static ChromeDriver browser;
    static String firstSecret;
    static String secondSecret;

    @BeforeAll
    static void start() throws IOException {
        jeton = Jetons.start(dir.resolve("jeton"));
        jeton.wiring().admin().changes().addUser("ada", new Secret("ada-password"), List.of("jeton-admins"));
        jeton.wiring().admin().changes().addIdentity("build-agent", null, null, null);
        browser = Browser.start(Files.createDirectories(dir.resolve("chromium-profile")));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (jeton != null) jeton.close();
    }

    @Test
    @Order(1)
    void signInWhenPasswordIsRightThenTheConsoleShowsClients() throws IOException {
        browser.get(jeton.baseUrl() + "/console");
        assertThat(browser.getCurrentUrl()).startsWith(jeton.baseUrl() + "/oidc/authorize");
        browser.findElement(By.id("username")).sendKeys("ada");
        browser.findElement(By.id("password")).sendKeys("ada-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        // The callback's "Signed in" page moves on by itself: reading its h1 races the navigation (a stale element), so wait for the next.
        waitForHeading("Clients");
        assertThat(browser.findElement(By.tagName("header")).getText()).contains("ada");
        shot("clients");
    }

    @Test
    @Order(2)
    void createClientWhenFormFilledThenItsSecretIsShownOnceAndWorks() throws IOException {
        browser.get(jeton.baseUrl() + "/console/clients");
        browser.findElement(By.id("client_id")).sendKeys("billing");
        browser.findElement(By.id("grant_types")).sendKeys("client_credentials");
        browser.findElement(By.id("scopes")).sendKeys("invoices:read");
        browser.findElement(By.xpath("//button[text()='Add client']")).click();
        waitForHeading("Client billing added");
        firstSecret = browser.findElement(By.id("secret")).getText();
        assertThat(token("billing", firstSecret).statusCode()).isEqualTo(200);
        shot("client-created");
    }

    @Test
    @Order(3)
    void rotateSecretWhenOverlapGivenThenBothSecretsWork() throws IOException {
        browser.get(jeton.baseUrl() + "/console/clients");
        browser.findElement(By.id("overlap-billing")).clear();
        browser.findElement(By.id("overlap-billing")).sendKeys("2h");
        browser.findElement(By.cssSelector("form[action='/console/clients/billing/secret'] button")).click();
        waitForHeading("New secret for billing");
        secondSecret = browser.findElement(By.id("secret")).getText();
        assertThat(secondSecret).isNotEqualTo(firstSecret);
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("The old secret keeps working until");
        assertThat(token("billing", secondSecret).statusCode()).isEqualTo(200);
        assertThat(token("billing", firstSecret).statusCode()).isEqualTo(200);
        shot("client-rotated");
    }

    @Test
    @Order(4)
    void assignIdentityWhenNodeGivenThenTheListShowsIt() throws IOException {
        browser.get(jeton.baseUrl() + "/console/identities");
        browser.findElement(By.id("node-build-agent")).sendKeys("worker-7");
        browser.findElement(By.cssSelector("form[action='/console/identities/build-agent/nodes'] button")).click();
        waitForHeading("Managed identities");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("worker-7");
        assertThat(jeton.wiring().admin().identities().list().getFirst().nodes()).containsExactly("worker-7");
        shot("identities");
    }

    @Test
    @Order(5)
    void usersPageWhenAdminThenListsUsersWithTheirGroups() throws IOException {
        browser.get(jeton.baseUrl() + "/console/users");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("ada", "jeton-admins");
        shot("users");
    }

    @Test
    @Order(6)
    void auditLogWhenFilteredBySubjectThenShowsTheConsoleChangesWithTheirActor() throws IOException {
        AuditTrail audit = AuditTrail.of(dir.resolve("jeton"));
        audit.await("action", "identity.assign", "dialect", "console");
        audit.await("client_id", "billing", "event", "issued");
        browser.get(jeton.baseUrl() + "/console/audit");
        browser.findElement(By.id("subject")).sendKeys("ada");
        browser.findElement(By.xpath("//button[text()='Show']")).click();
        waitForHeading("Audit log");
        String table = browser.findElement(By.tagName("table")).getText();
        assertThat(table).contains("client.add billing", "client.rotate_secret billing", "identity.assign build-agent", "console");
        shot("audit");
        browser.get(jeton.baseUrl() + "/console/audit?reason=client");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Reason");
    }

    @Test
    @Order(7)
    void principalPageWhenClientThenShowsItsScopesAndRecentTokens() throws IOException {
        jeton.wiring().admin().changes().addRule("app:billing", "invoices/*", java.util.Set.of("pull"));
        browser.get(jeton.baseUrl() + "/console/clients");
        browser.findElement(By.linkText("billing")).click();
        waitForHeading("Client billing");
        String main = browser.findElement(By.tagName("main")).getText();
        assertThat(main).contains("invoices:read", "client_credentials", "app:billing", "invoices/*", "Recent tokens", "issued");
        shot("principal-client");
        browser.get(jeton.baseUrl() + "/console/principals/users/ada");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("jeton-admins", "jeton:admin");
        shot("principal-user");
    }

    @Test
    @Order(8)
    void rulesPageWhenRuleAddedThenListedAndRemovable() throws IOException {
        browser.get(jeton.baseUrl() + "/console/rules");
        browser.findElement(By.id("subject")).sendKeys("group:devs");
        browser.findElement(By.id("repository")).sendKeys("team/*");
        browser.findElement(By.id("actions")).sendKeys("pull push");
        browser.findElement(By.xpath("//button[text()='Add rule']")).click();
        waitForHeading("Registry rules");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("group:devs", "team/*", "pull push");
        assertThat(jeton.wiring().admin().rules().list()).anyMatch(r -> r.subject().equals("group:devs"));
        shot("rules");
    }

    @Test
    @Order(9)
    void apiKeysPageWhenKeyCreatedThenShownOnceAndRevocable() throws IOException {
        browser.get(jeton.baseUrl() + "/console/api-keys");
        browser.findElement(By.id("user")).sendKeys("ada");
        browser.findElement(By.id("name")).sendKeys("ci");
        browser.findElement(By.xpath("//button[text()='Create API key']")).click();
        waitForHeading("API key created");
        assertThat(browser.findElement(By.id("secret")).getText()).startsWith(dev.jeton.engine.ApiKeys.PREFIX);
        shot("api-key-created");
        browser.get(jeton.baseUrl() + "/console/api-keys");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("ci", "active");
        browser.findElement(By.xpath("//button[text()='Revoke']")).click();
        waitForHeading("API keys");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("revoked");
        shot("api-keys");
    }

    @Test
    @Order(10)
    void signingKeysPageWhenRotatedThenTheOldActiveKeyIsRetiring() throws IOException {
        browser.get(jeton.baseUrl() + "/console/keys");
        String before = browser.findElement(By.tagName("table")).getText();
        assertThat(before).contains("active");
        browser.findElement(By.xpath("//button[text()='Rotate signing keys']")).click();
        waitForHeading("Signing keys");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("retiring", "active");
        shot("keys");
    }

    @Test
    @Order(11)
    void nodesPageWhenNodeAddedThenEnrolTokenShownOnceAndListed() throws IOException {
        browser.get(jeton.baseUrl() + "/console/nodes");
        browser.findElement(By.id("name")).sendKeys("edge-7");
        browser.findElement(By.xpath("//button[text()='Add node']")).click();
        waitForHeading("Node edge-7 added");
        assertThat(browser.findElement(By.id("secret")).getText()).isNotBlank();
        shot("node-added");
        browser.get(jeton.baseUrl() + "/console/nodes");
        browser.findElement(By.cssSelector("button[aria-label='Disable node edge-7']")).click();
        waitForHeading("Nodes");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("edge-7", "disabled", "waiting for enrolment");
        assertThat(jeton.wiring().admin().nodes().show("edge-7").orElseThrow().disabled()).isTrue();
        shot("nodes");
    }

    @Test
    @Order(12)
    void trustPoliciesPageWhenPolicyAddedThenListed() throws IOException {
        browser.get(jeton.baseUrl() + "/console/trust-policies");
        browser.findElement(By.id("name")).sendKeys("github-actions");
        browser.findElement(By.id("issuer")).sendKeys("https://token.actions.githubusercontent.com");
        browser.findElement(By.id("audience")).sendKeys("jeton");
        browser.findElement(By.id("subject")).sendKeys("repo:acme/*");
        browser.findElement(By.id("as")).sendKeys("user:ada");
        browser.findElement(By.xpath("//button[text()='Add trust policy']")).click();
        waitForHeading("Trust policies");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("github-actions", "repo:acme/*", "user:ada");
        assertThat(jeton.wiring().admin().trust().show("github-actions")).isPresent();
        shot("trust-policies");
    }

    @Test
    @Order(13)
    void upstreamsPageWhenProviderAddedThenListedWithoutItsSecret() throws IOException {
        browser.get(jeton.baseUrl() + "/console/upstreams");
        browser.findElement(By.id("name")).sendKeys("corp-sso");
        browser.findElement(By.id("issuer")).sendKeys("https://idp.example.com");
        browser.findElement(By.id("client_id")).sendKeys("jeton");
        assertThat(browser.findElement(By.id("client_secret")).getAttribute("type")).isEqualTo("password");
        browser.findElement(By.id("client_secret")).sendKeys("typed-upstream-secret");
        browser.findElement(By.xpath("//button[text()='Add upstream']")).click();
        waitForHeading("Upstream providers");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("corp-sso", "https://idp.example.com");
        assertThat(browser.getPageSource()).doesNotContain("typed-upstream-secret");
        shot("upstreams");
    }

    @Test
    @Order(20)
    void clientsPageWhenPhoneWidthThenNothingScrollsSideways() throws IOException {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        browser.get(jeton.baseUrl() + "/console/clients");
        waitForHeading("Clients");
        Object fits = browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth;");
        assertThat(fits).isEqualTo(true);
        assertThat(browser.findElement(By.linkText("billing")).isDisplayed()).isTrue();
        shot("clients-phone");
    }

    private static HttpResponse<String> token(String client, String secret) {
        return Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials&scope=invoices:read", Http.basic(client, secret));
    }

    /** The sign-in lands on a page that moves on by itself: lookups wait (bounded) for the heading. */
    private static void waitForHeading(String text) {
        browser.findElement(By.xpath("//h1[text()=" + xpathString(text) + "]"));
    }

    private static String xpathString(String s) { return "'" + s + "'"; }

    private static void shot(String name) throws IOException {
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SHOTS.resolve("console-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
