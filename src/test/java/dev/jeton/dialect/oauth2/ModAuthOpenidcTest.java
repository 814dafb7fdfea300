package dev.jeton.dialect.oauth2;

import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.ApacheOidc;
import dev.jeton.support.ApacheOidc.Site;
import dev.jeton.support.Browser;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real relying party: Apache with mod_auth_openidc (Debian packages) protecting a page on two
 * virtual hosts, each its own client of Jeton, driven by headless Chromium. Site A logs the
 * user in; site B asks with prompt=none and gets in silently on Jeton's session (single
 * sign-on across clients); logout through A's end_session_endpoint ends Jeton's session, and
 * back-channel logout ends B's session too.
 */
class ModAuthOpenidcTest {
    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static ApacheOidc apache;
    static ChromeDriver browser;
    static Site siteA;
    static Site siteB;

    @BeforeAll
    static void start() throws Exception {
        jeton = Jetons.start(dir.resolve("jeton"));
        var admin = jeton.wiring().admin();
        admin.accounts().addUser("grace", new Secret("grace-password"), List.of());
        int portA = ApacheOidc.freePort();
        int portB = ApacheOidc.freePort();
        siteA = register("apache-a", portA, null);
        siteB = register("apache-b", portB, "prompt=none");
        admin.relyingParties().update("apache-a", null, List.of(siteA.loggedOutUrl()), siteA.backchannelLogoutUri());
        admin.relyingParties().update("apache-b", null, List.of(siteB.loggedOutUrl()), siteB.backchannelLogoutUri());
        apache = ApacheOidc.start(jeton.baseUrl(), List.of(siteA, siteB));
        browser = Browser.start(Files.createDirectories(dir.resolve("chromium-profile")));
    }

    private static Site register(String clientId, int port, String authParams) {
        String redirect = "http://127.0.0.1:" + port + "/protected/redirect_uri";
        String secret = jeton.wiring().admin().accounts().addClient(new ClientSpec(clientId, Set.of(GrantType.AUTHORIZATION_CODE),
                Set.of("openid"), List.of(), List.of(redirect), null, null, RefreshPolicy.ROTATING, false)).secret().value();
        return new Site(clientId, secret, port, authParams);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (apache != null) apache.close();
        if (jeton != null) jeton.close();
    }

    @Test
    void apacheWhenLoggedInOnceThenSecondVisitAndSecondSiteSilentAndLogoutEndsBoth() throws Exception {
        // 1. Site A: Jeton's login page, then the protected page with the user's claims.
        browser.get(siteA.base() + "/protected/");
        assertThat(browser.getTitle()).as(apache.logs()).isEqualTo("Sign in · Jeton");
        browser.findElement(By.id("username")).sendKeys("grace");
        browser.findElement(By.id("password")).sendKeys("grace-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(browser.findElement(By.id("user")).getText()).as(apache.logs()).isEqualTo("grace");
        var sessions = jeton.wiring().admin().sessions();
        String sid = sessions.list("grace").getFirst().session().id();
        assertThat(browser.findElement(By.id("sid")).getText()).isEqualTo(sid);
        assertThat(browser.findElement(By.id("acr")).getText()).isEqualTo("1");

        // 2. A second visit: mod_auth_openidc's own session, no login.
        browser.get(siteA.base() + "/protected/");
        assertThat(browser.getTitle()).isEqualTo("Protected");
        assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("grace");
        assertThat(sessions.list("grace")).hasSize(1);

        // 3. Site B, another client, asks with prompt=none: in without a page, on Jeton's session.
        browser.get(siteB.base() + "/protected/");
        assertThat(browser.getTitle()).as(apache.logs()).isEqualTo("Protected");
        assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("grace");
        assertThat(browser.findElement(By.id("sid")).getText()).isEqualTo(sid);
        assertThat(sessions.list("grace").getFirst().clients()).containsExactly("apache-a", "apache-b");

        // 4. Logout at A: mod_auth_openidc sends the browser to Jeton's end_session_endpoint and back.
        browser.get(siteA.redirectUri() + "?logout=" + URLEncoder.encode(siteA.loggedOutUrl(), StandardCharsets.UTF_8));
        assertThat(browser.findElement(By.id("bye")).getText()).as(apache.logs()).isEqualTo("logged out of the application");
        assertThat(sessions.byId(sid).orElseThrow().revokedAt()).isNotNull();

        // 5. Back-channel logout ended B's session: B asks Jeton again (prompt=none) and gets login_required.
        // The notice is sent in the background: look until it has arrived, bounded.
        long deadline = System.nanoTime() + 30_000_000_000L;
        String page;
        do {
            browser.get(siteB.base() + "/protected/");
            page = browser.getPageSource();
        } while (!page.contains("login_required") && System.nanoTime() < deadline);
        assertThat(page).as(apache.logs()).contains("login_required");

        // 6. And A needs a login again.
        browser.get(siteA.base() + "/protected/");
        assertThat(browser.getTitle()).isEqualTo("Sign in · Jeton");
    }
}
