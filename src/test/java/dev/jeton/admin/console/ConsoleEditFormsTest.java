package dev.jeton.admin.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.model.Secret;
import dev.jeton.support.AdminClients;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's edit forms over plain HTTP: groups, revoking tokens and families, a client's
 * whole update, and versions: every edit form carries the item's version, which is the admin
 * API's ETag, and a form rendered before someone else's change is refused with a 409 page.
 */
class ConsoleEditFormsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("name=\"version\" value=\"([^\"]+)\"");
    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static ConsoleSignInFlow.Signed admin;
    static ConsoleSignInFlow.Signed reader;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        jeton.wiring().admin().changes().addUser("ada", new Secret("ada-password"), List.of("jeton-admins"));
        jeton.wiring().admin().changes().addUser("rex", new Secret("rex-password"), List.of("jeton-readers"));
        for (String u : List.of("cy", "dot", "gina", "hal", "ivy")) jeton.wiring().admin().changes().addUser(u, new Secret(u + "-password-1"), List.of());
        admin = ConsoleSignInFlow.signIn(jeton.baseUrl(), "ada", "ada-password");
        reader = ConsoleSignInFlow.signIn(jeton.baseUrl(), "rex", "rex-password");
    }

    @AfterAll
    static void stop() { jeton.close(); }

    @Test
    void groupFormsWhenAdminThenMakeAddRemoveAndDeleteAGroupRecordedAsTheConsoleUser() {
        HttpResponse<String> made = admin.post("/console/groups", csrf() + "&name=devs&members=gina%2C+hal");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(303);
        assertThat(made.headers().firstValue("Location")).hasValue("/console/groups/devs");
        assertThat(groupsOf("gina")).contains("devs");
        assertThat(groupsOf("hal")).contains("devs");
        jeton.wiring().admin().changes().addRule("group:devs", "team/*", Set.of("pull"));
        String page = admin.get("/console/groups/devs").body();
        assertThat(page).contains("<h1>Group devs</h1>", "gina", "hal", "team/*");
        assertThat(admin.get("/console/groups").body()).contains("devs", "gina, hal");

        assertThat(admin.post("/console/groups/devs/members/hal/delete", csrf() + "&version=" + enc(version(page))).statusCode()).isEqualTo(303);
        assertThat(groupsOf("hal")).isEmpty();
        page = admin.get("/console/groups/devs").body();
        assertThat(admin.post("/console/groups/devs/members", csrf() + "&user=ada&version=" + version(page)).statusCode()).isEqualTo(303);
        assertThat(groupsOf("ada")).contains("devs", "jeton-admins");

        page = admin.get("/console/groups/devs").body();
        assertThat(admin.post("/console/groups/devs/delete", csrf() + "&version=" + enc(version(page))).statusCode()).isEqualTo(303);
        assertThat(groupsOf("ada")).containsExactly("jeton-admins");
        assertThat(groupsOf("gina")).isEmpty();
        assertThat(jeton.wiring().admin().rules().list()).noneMatch(r -> r.subject().equals("group:devs"));
        assertThat(admin.get("/console/groups/devs").statusCode()).isEqualTo(404);
        AuditTrail.of(dir).await("dialect", "console", "subject", "ada", "action", "group.set_members", "target", "devs");
        AuditTrail.of(dir).await("dialect", "console", "subject", "ada", "action", "group.delete", "target", "devs");
    }

    @Test
    void groupFormWhenNameTakenOrMemberUnknownThenClearPageAndNothingChanges() {
        assertThat(admin.post("/console/groups", csrf() + "&name=ops&members=ivy").statusCode()).isEqualTo(303);
        HttpResponse<String> again = admin.post("/console/groups", csrf() + "&name=ops&members=ada");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("already exists");
        HttpResponse<String> ghost = admin.post("/console/groups", csrf() + "&name=qa&members=ivy%2Cghost");
        assertThat(ghost.statusCode()).isEqualTo(404);
        assertThat(ghost.body()).contains("no user named &#39;ghost&#39;");
        assertThat(groupsOf("ivy")).doesNotContain("qa");
    }

    @Test
    void userGroupsFormWhenSavedThenTheUserHasExactlyThoseGroups() {
        String page = admin.get("/console/principals/users/cy").body();
        assertThat(page).contains("action=\"/console/users/cy/groups\"");
        assertThat(admin.post("/console/users/cy/groups", csrf() + "&groups=builders%2C+testers&version=" + version(page)).statusCode()).isEqualTo(303);
        assertThat(groupsOf("cy")).containsExactly("builders", "testers");
        assertThat(reader.get("/console/principals/users/cy").body()).doesNotContain("Save groups");
    }

    @Test
    void staleVersionWhenSomeoneElseChangedTheItemThen409PageWithReloadLinkAndNothingOverwritten() {
        String page = admin.get("/console/principals/users/dot").body();
        String old = version(page);
        // Another admin (here the CLI's operations) changes the user after the page was shown.
        jeton.wiring().admin().changes().setUserGroups("dot", List.of("night-shift"));
        HttpResponse<String> stale = admin.post("/console/users/dot/groups", csrf() + "&groups=day-shift&version=" + enc(old));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("Changed by someone else", "User dot has changed since this page was shown", "href=\"/console/principals/users/dot\"",
                "Reload it");
        assertThat(groupsOf("dot")).containsExactly("night-shift");
        HttpResponse<String> missing = admin.post("/console/users/dot/groups", csrf() + "&groups=day-shift");
        assertThat(missing.statusCode()).isEqualTo(409);
        HttpResponse<String> any = admin.post("/console/users/dot/groups", csrf() + "&groups=day-shift&version=*");
        assertThat(any.statusCode()).as("a form cannot skip the check with *").isEqualTo(409);
        assertThat(groupsOf("dot")).containsExactly("night-shift");
        AuditTrail.of(dir).await("event", "refused", "dialect", "console", "subject", "ada", "reason", "version.stale");
    }

    @Test
    void clientVersionWhenReadThenItIsTheAdminApisEtag() throws IOException {
        String token = new AdminClients(jeton).token("etag-reader", "jeton:admin:read");
        HttpResponse<String> api = Http.get(jeton.baseUrl() + "/admin/v1/clients/demo", "Bearer " + token);
        assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
        assertThat(version(admin.get("/console/clients/demo").body())).isEqualTo(api.headers().firstValue("ETag").orElseThrow());
        HttpResponse<String> user = Http.get(jeton.baseUrl() + "/admin/v1/users/rex", "Bearer " + token);
        assertThat(versionNear(admin.get("/console/users").body(), "/console/users/rex/disabled")).isEqualTo(user.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void clientUpdateWhenSavedThenEveryFieldIsStoredAndTheOldVersionIsStale() {
        jeton.wiring().admin().changes().addClient(new dev.jeton.engine.Accounts.ClientSpec("shop", Set.of(dev.jeton.model.GrantType.CLIENT_CREDENTIALS),
                Set.of("orders:read"), List.of(), List.of(), null, null, dev.jeton.model.RefreshPolicy.ROTATING, false));
        String page = admin.get("/console/clients/shop").body();
        assertThat(page).contains("<h1>Client shop</h1>", "orders:read", "Only the current secret works", "Rotate the secret");
        String v = version(page);
        HttpResponse<String> saved = admin.post("/console/clients/shop", csrf() + "&version=" + enc(v)
                + "&grant_types=client_credentials+authorization_code&scopes=orders%3Aread+orders%3Awrite&audiences=orders-api"
                + "&redirect_uris=https%3A%2F%2Fshop.example%2Fcb&access_token_ttl=10m&refresh_token_ttl=2d&refresh_policy=reusable"
                + "&id_token_alg=ES256&auth_method=client_secret_post&jwks_uri=");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        var shop = jeton.wiring().admin().accounts().client("shop").orElseThrow();
        assertThat(shop.scopes()).containsExactlyInAnyOrder("orders:read", "orders:write");
        assertThat(shop.grantTypes()).hasSize(2);
        assertThat(shop.audiences()).containsExactly("orders-api");
        assertThat(shop.redirectUris()).containsExactly("https://shop.example/cb");
        assertThat(shop.accessTokenTtl()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(shop.refreshTokenTtl()).isEqualTo(java.time.Duration.ofDays(2));
        assertThat(shop.refreshPolicy()).isEqualTo(dev.jeton.model.RefreshPolicy.REUSABLE);
        var oidc = jeton.wiring().admin().oidc().client("shop");
        assertThat(oidc.idTokenAlg()).isEqualTo("ES256");
        assertThat(oidc.authMethod()).isEqualTo(dev.jeton.model.TokenAuthMethod.CLIENT_SECRET_POST);
        assertThat(admin.get("/console/clients/shop").body()).contains("<option selected>reusable</option>", "<option selected>ES256</option>", "10m");
        HttpResponse<String> stale = admin.post("/console/clients/shop", csrf() + "&version=" + enc(v) + "&grant_types=client_credentials");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(jeton.wiring().admin().accounts().client("shop").orElseThrow().grantTypes()).hasSize(2);
        AuditTrail.of(dir).await("dialect", "console", "subject", "ada", "action", "client.update", "target", "shop");
    }

    @Test
    void rotateFromClientPageWhenOverlapGivenThenTheWindowIsShownAndAStaleRotateIsRefused() {
        jeton.wiring().admin().changes().addClient(new dev.jeton.engine.Accounts.ClientSpec("mill", Set.of(dev.jeton.model.GrantType.CLIENT_CREDENTIALS),
                Set.of(), List.of(), List.of(), null, null, dev.jeton.model.RefreshPolicy.ROTATING, false));
        String v = version(admin.get("/console/clients/mill").body());
        HttpResponse<String> rotated = admin.post("/console/clients/mill/secret", csrf() + "&overlap=3h&version=" + enc(v));
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        assertThat(rotated.body()).contains("shown this once", "The old secret keeps working until");
        assertThat(admin.get("/console/clients/mill").body()).contains("The previous secret keeps working until");
        HttpResponse<String> again = admin.post("/console/clients/mill/secret", csrf() + "&overlap=3h&version=" + enc(v));
        assertThat(again.statusCode()).as("the first rotation moved the version").isEqualTo(409);
    }

    @Test
    void revokeWhenRefreshTokenOrFamilyGivenThenItNoLongerRefreshes() throws IOException {
        JsonNode first = passwordTokens();
        HttpResponse<String> byValue = admin.post("/console/tokens/revoke", csrf() + "&token=" + enc(first.get("refresh_token").asText()));
        assertThat(byValue.statusCode()).as(byValue.body()).isEqualTo(200);
        assertThat(byValue.body()).contains("family").doesNotContain(first.get("refresh_token").asText());
        assertThat(refresh(first.get("refresh_token").asText()).statusCode()).isEqualTo(400);

        JsonNode second = passwordTokens();
        String family = AuditTrail.of(dir).await(line -> "issued".equals(line.path("event").asText()) && line.hasNonNull("family_id")
                && !familyRevoked(line.get("family_id").asText())).get("family_id").asText();
        String tokensPage = admin.get("/console/tokens").body();
        assertThat(tokensPage).contains("/console/tokens/families/" + family + "/revoke");
        assertThat(admin.post("/console/tokens/families/" + family + "/revoke", csrf()).statusCode()).isEqualTo(200);
        assertThat(refresh(second.get("refresh_token").asText()).statusCode()).isEqualTo(400);
        assertThat(admin.post("/console/tokens/families/" + family + "/revoke", csrf()).statusCode()).isEqualTo(404);
        assertThat(reader.get("/console/tokens").body()).doesNotContain("Revoke a token");
        AuditTrail.of(dir).await("dialect", "console", "subject", "ada", "action", "token.revoke", "target", family);
        AuditTrail.of(dir).assertContainsNone(List.of(first.get("refresh_token").asText(), second.get("refresh_token").asText()));
    }

    private static boolean familyRevoked(String family) {
        return AuditTrail.of(dir).lines().stream().anyMatch(l -> family.equals(l.path("family_id").asText()) && "revoked".equals(l.path("event").asText())
                || family.equals(l.path("target").asText()));
    }

    private static JsonNode passwordTokens() throws IOException {
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=password&username=cy&password=cy-password-1",
                Http.basic("demo", jeton.demoSecret()));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.hasNonNull("refresh_token")).as(res.body()).isTrue();
        return body;
    }

    private static HttpResponse<String> refresh(String refreshToken) {
        return Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=refresh_token&refresh_token=" + enc(refreshToken),
                Http.basic("demo", jeton.demoSecret()));
    }

    private static List<String> groupsOf(String user) { return jeton.wiring().admin().accounts().user(user).orElseThrow().groups(); }

    private static String csrf() { return "csrf=" + admin.csrf(); }

    static String version(String page) {
        Matcher m = VERSION.matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return m.group(1).replace("&quot;", "\"");
    }

    /** The version in the form whose action is {@code action}. */
    private static String versionNear(String page, String action) {
        return version(page.substring(page.indexOf("action=\"" + action + "\"")));
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
