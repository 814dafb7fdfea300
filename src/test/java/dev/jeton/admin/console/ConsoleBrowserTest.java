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
 * read the audit log with its reasons and a principal's page, make a group, have a stale edit
 * refused, revoke a refresh family. Every page is checked with axe-core (no serious or critical
 * violation), and each is kept as a screenshot in target/console-screenshots/ (phone-sized ones too).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final Path SHOTS = Path.of("target", "console-screenshots");
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
        accessible();
        shot("sign-in");
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
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Add client']")));
        waitForHeading("Client billing added");
        firstSecret = browser.findElement(By.id("secret")).getText();
        assertThat(token("billing", firstSecret).statusCode()).isEqualTo(200);
        accessible();
        shot("client-created");
    }

    @Test
    @Order(3)
    void rotateSecretWhenOverlapGivenThenBothSecretsWork() throws IOException {
        browser.get(jeton.baseUrl() + "/console/clients");
        browser.findElement(By.id("overlap-billing")).clear();
        browser.findElement(By.id("overlap-billing")).sendKeys("2h");
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.cssSelector("form[action='/console/clients/billing/secret'] button")));
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
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.cssSelector("form[action='/console/identities/build-agent/nodes'] button")));
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
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Show']")));
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
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.linkText("billing")));
        waitForHeading("Client billing");
        String main = browser.findElement(By.tagName("main")).getText();
        assertThat(main).contains("invoices:read", "client_credentials", "app:billing", "invoices/*", "Recent tokens", "Refresh family");
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
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Add rule']")));
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
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Create API key']")));
        waitForHeading("API key created");
        assertThat(browser.findElement(By.id("secret")).getText()).startsWith(dev.jeton.engine.ApiKeys.PREFIX);
        shot("api-key-created");
        browser.get(jeton.baseUrl() + "/console/api-keys");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("ci", "active");
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Revoke']")));
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
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Rotate signing keys']")));
        waitForHeading("Signing keys");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("retiring", "active");
        shot("keys");
    }

    @Test
    @Order(11)
    void nodesPageWhenNodeAddedThenEnrolTokenShownOnceAndListed() throws IOException {
        browser.get(jeton.baseUrl() + "/console/nodes");
        browser.findElement(By.id("name")).sendKeys("edge-7");
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Add node']")));
        waitForHeading("Node edge-7 added");
        assertThat(browser.findElement(By.id("secret")).getText()).isNotBlank();
        shot("node-added");
        browser.get(jeton.baseUrl() + "/console/nodes");
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.cssSelector("button[aria-label='Disable node edge-7']")));
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
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Add trust policy']")));
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
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Add upstream']")));
        waitForHeading("Upstream providers");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("corp-sso", "https://idp.example.com");
        assertThat(browser.getPageSource()).doesNotContain("typed-upstream-secret");
        shot("upstreams");
    }

    @Test
    @Order(14)
    void groupFormWhenFilledThenTheGroupHasItsMembers() throws IOException {
        browser.get(jeton.baseUrl() + "/console/groups");
        browser.findElement(By.id("name")).sendKeys("builders");
        browser.findElement(By.id("members")).sendKeys("ada");
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Make group']")));
        waitForHeading("Group builders");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("ada");
        assertThat(jeton.wiring().admin().accounts().user("ada").orElseThrow().groups()).contains("builders", "jeton-admins");
        accessible();
        shot("group");
        browser.get(jeton.baseUrl() + "/console/groups");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("builders", "jeton-admins");
        shot("groups");
    }

    @Test
    @Order(15)
    void clientEditWhenSomeoneElseChangedItMeanwhileThenRefusedWithReloadAndNothingLost() throws IOException {
        browser.get(jeton.baseUrl() + "/console/clients/billing");
        waitForHeading("Client billing");
        browser.findElement(By.id("scopes")).clear();
        browser.findElement(By.id("scopes")).sendKeys("invoices:read invoices:write");
        // Another admin changes the client (through the same operations as the API and the CLI) after the page was shown.
        var billing = jeton.wiring().admin().accounts().client("billing").orElseThrow();
        jeton.wiring().admin().changes().updateClient(new dev.jeton.engine.Accounts.ClientSpec("billing", billing.grantTypes(),
                java.util.Set.of("invoices:read", "reports:read"), billing.audiences(), billing.redirectUris(), null, null,
                billing.refreshPolicy(), false));
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Save client']")));
        waitForHeading("Changed by someone else");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Client billing has changed since this page was shown");
        assertThat(jeton.wiring().admin().accounts().client("billing").orElseThrow().scopes()).containsExactly("invoices:read", "reports:read");
        accessible();
        shot("stale-edit");
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.linkText("Reload it")));
        waitForHeading("Client billing");
        assertThat(browser.findElement(By.id("scopes")).getAttribute("value")).isEqualTo("invoices:read reports:read");
        browser.findElement(By.id("scopes")).clear();
        browser.findElement(By.id("scopes")).sendKeys("invoices:read invoices:write reports:read");
        // The saved client's page has the form's heading: wait for the new page, not just a heading.
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Save client']")));
        waitForHeading("Client billing");
        assertThat(jeton.wiring().admin().accounts().client("billing").orElseThrow().scopes())
                .containsExactly("invoices:read", "invoices:write", "reports:read");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("The previous secret keeps working until");
        accessible();
        shot("client-edit");
        // The refusal is in the audit log with its reason.
        AuditTrail.of(dir.resolve("jeton")).await("event", "refused", "dialect", "console", "reason", "version.stale");
        browser.get(jeton.baseUrl() + "/console/audit");
        browser.findElement(By.id("reason")).sendKeys("version");
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.xpath("//button[text()='Show']")));
        waitForHeading("Audit log");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains("refused", "version.stale", "Client billing has changed");
        shot("audit-reasons");
    }

    @Test
    @Order(16)
    void revokeFamilyWhenClickedOnThePrincipalPageThenItsRefreshTokenNoLongerWorks() throws IOException {
        HttpResponse<String> issued = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=password&username=ada&password=ada-password",
                Http.basic("demo", jeton.demoSecret()));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        String refreshToken = new com.fasterxml.jackson.databind.ObjectMapper().readTree(issued.body()).get("refresh_token").asText();
        String family = AuditTrail.of(dir.resolve("jeton")).await(l -> "issued".equals(l.path("event").asText())
                && "demo".equals(l.path("client_id").asText()) && l.hasNonNull("family_id")).get("family_id").asText();
        browser.get(jeton.baseUrl() + "/console/principals/users/ada");
        waitForHeading("User ada");
        shot("principal-user-tokens");
        Browser.clickAndAwaitNewPage(browser, browser.findElement(By.cssSelector("button[aria-label='Revoke family " + family + "']")));
        waitForHeading("Token revoked");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains(family);
        accessible();
        shot("family-revoked");
        HttpResponse<String> refreshed = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=refresh_token&refresh_token="
                + java.net.URLEncoder.encode(refreshToken, java.nio.charset.StandardCharsets.UTF_8), Http.basic("demo", jeton.demoSecret()));
        assertThat(refreshed.statusCode()).isEqualTo(400);
        browser.get(jeton.baseUrl() + "/console/tokens");
        waitForHeading("Tokens");
        shot("tokens");
    }

    /** Every page of the console, and the error pages, with no serious or critical accessibility violation. */
    @Test
    @Order(19)
    void everyPageWhenCheckedWithAxeThenNoSeriousViolations() {
        java.util.Map<String, List<dev.jeton.support.AxeCore.Violation>> found = new java.util.TreeMap<>();
        for (String page : List.of("/console/clients", "/console/clients/billing", "/console/users", "/console/groups", "/console/groups/builders",
                "/console/identities", "/console/rules", "/console/api-keys", "/console/keys", "/console/nodes", "/console/trust-policies",
                "/console/upstreams", "/console/tokens", "/console/audit", "/console/principals/users/ada", "/console/principals/clients/billing",
                "/console/principals/identities/build-agent", "/console/no-such-page", "/console/principals/users/nobody")) {
            browser.get(jeton.baseUrl() + page);
            List<dev.jeton.support.AxeCore.Violation> bad = dev.jeton.support.AxeCore.check(browser).stream()
                    .filter(dev.jeton.support.AxeCore.Violation::seriousOrWorse).toList();
            if (!bad.isEmpty()) found.put(page, bad);
            assertThat(browser.findElements(By.tagName("h1"))).as(page + " has one h1").hasSize(1);
        }
        assertThat(found).isEmpty();
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
        accessible();
        shot("clients-phone");
        for (String page : List.of("clients/billing", "groups/builders", "tokens", "audit")) {
            browser.get(jeton.baseUrl() + "/console/" + page);
            assertThat(browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth;")).as(page).isEqualTo(true);
            shot(page.replace('/', '-') + "-phone");
        }
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
        Files.copy(file, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The page now shown breaks no serious or critical axe-core rule. */
    private static void accessible() {
        assertThat(dev.jeton.support.AxeCore.check(browser)).filteredOn(dev.jeton.support.AxeCore.Violation::seriousOrWorse)
                .as(browser.getCurrentUrl()).isEmpty();
    }
}
