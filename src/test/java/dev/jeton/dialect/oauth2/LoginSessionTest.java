package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.LoginFlow;
import dev.jeton.support.MutableClock;
import dev.jeton.support.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login session behind /oidc/authorize (OIDC Core 3.1.2.1-3.1.2.6): one login serves every
 * client, prompt/max_age/login_hint/id_token_hint behave as the spec says, consent is asked and
 * remembered for third-party clients, and a revoked or expired session is over.
 */
class LoginSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "http://127.0.0.1:9/callback";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static final MutableClock clock = MutableClock.startingNow();
    static String secretA;
    static String secretB;
    static String secretThird;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir, clock, Map.of());
        var accounts = jeton.wiring().admin().accounts();
        for (String user : List.of("grace", "mallory", "dave", "erin", "frank", "heidi")) accounts.addUser(user, new Secret(user + "-password"), List.of());
        secretA = addClient("app-a");
        secretB = addClient("app-b");
        secretThird = addClient("third");
        jeton.wiring().admin().relyingParties().update("third", false, null, null);
    }

    private static String addClient(String id) {
        return jeton.wiring().admin().accounts().addClient(new ClientSpec(id, Set.of(GrantType.AUTHORIZATION_CODE), Set.of("openid", "read"),
                List.of(), List.of(REDIRECT), null, null, RefreshPolicy.ROTATING, false)).secret().value();
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static String authorize(String client, String extra) {
        return LoginFlow.authorizeUrl(jeton.baseUrl(), client, REDIRECT, "openid", "st-1", null) + extra;
    }

    private static WebSession loggedIn(String user) {
        WebSession browser = new WebSession(jeton.baseUrl());
        HttpResponse<String> done = browser.login(browser.get(authorize("app-a", "")), user, user + "-password");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return browser;
    }

    private static JWTClaimsSet idToken(String client, String secret, HttpResponse<String> redirect) throws Exception {
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        String code = LoginFlow.param(redirect, "code");
        assertThat(code).as(redirect.headers().firstValue("Location").orElse("")).isNotNull();
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=authorization_code&code=" + code
                + "&redirect_uri=" + REDIRECT, Http.basic(client, secret));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return SignedJWT.parse(JSON.readTree(res.body()).get("id_token").asText()).getJWTClaimsSet();
    }

    private static String idTokenText(String client, String secret, HttpResponse<String> redirect) throws Exception {
        String code = LoginFlow.param(redirect, "code");
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=authorization_code&code=" + code
                + "&redirect_uri=" + REDIRECT, Http.basic(client, secret));
        return JSON.readTree(res.body()).get("id_token").asText();
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @Test
    void loginWhenDoneThenSessionCookieAndTheNextClientGetsACodeWithoutAPage() throws Exception {
        WebSession browser = new WebSession(jeton.baseUrl());
        HttpResponse<String> page = browser.get(authorize("app-a", ""));
        assertThat(page.statusCode()).isEqualTo(200);
        HttpResponse<String> done = browser.login(page, "grace", "grace-password");
        String setCookie = done.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("jeton_session=")).findFirst().orElseThrow();
        // Plain-HTTP issuer (loopback development): no Secure flag, or the browser would drop the cookie.
        assertThat(setCookie).contains("; Path=/oidc", "; HttpOnly", "; SameSite=Lax").doesNotContain("Secure");
        JWTClaimsSet first = idToken("app-a", secretA, done);

        HttpResponse<String> sso = browser.get(authorize("app-b", ""));
        JWTClaimsSet second = idToken("app-b", secretB, sso);
        assertThat(LoginFlow.param(sso, "state")).isEqualTo("st-1");
        assertThat(second.getAudience()).containsExactly("app-b");
        assertThat(second.getSubject()).isEqualTo(first.getSubject());
        assertThat(second.getStringClaim("sid")).isEqualTo(first.getStringClaim("sid")).isNotBlank();
        assertThat(second.getLongClaim("auth_time")).isEqualTo(first.getLongClaim("auth_time"));
        assertThat(second.getStringClaim("acr")).isEqualTo("1");
        assertThat(second.getStringListClaim("amr")).containsExactly("pwd");
        var listed = jeton.wiring().admin().sessions().list("grace");
        assertThat(listed).anySatisfy(l -> {
            assertThat(l.session().id()).isEqualTo(first.getStringClaim("sid"));
            assertThat(l.clients()).containsExactly("app-a", "app-b");
        });
    }

    @Test
    void promptNoneWhenNoSessionThenLoginRequiredRedirectAndWithSessionThenCode() throws Exception {
        HttpResponse<String> none = new WebSession(jeton.baseUrl()).get(authorize("app-a", "&prompt=none"));
        assertThat(none.statusCode()).isEqualTo(302);
        assertThat(none.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "?error=login_required");
        assertThat(LoginFlow.param(none, "state")).isEqualTo("st-1");
        // No iss on errors (mod_auth_openidc 2.4 would take it for a third-party-initiated login).
        assertThat(LoginFlow.param(none, "iss")).isNull();

        WebSession browser = loggedIn("grace");
        assertThat(idToken("app-b", secretB, browser.get(authorize("app-b", "&prompt=none"))).getStringClaim("preferred_username"))
                .isEqualTo("grace");
    }

    @Test
    void promptNoneWhenResponseModeFragmentOrFormPostThenErrorsAndCodesComeBackThatWay() {
        WebSession stranger = new WebSession(jeton.baseUrl());
        String inFragment = stranger.get(authorize("app-a", "&prompt=none&response_mode=fragment")).headers().firstValue("Location").orElseThrow();
        assertThat(inFragment).startsWith(REDIRECT + "#error=login_required").contains("state=st-1").doesNotContain("iss=");
        HttpResponse<String> posted = stranger.get(authorize("app-a", "&prompt=none&response_mode=form_post"));
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.body()).contains("action=\"" + REDIRECT + "\"");
        assertThat(WebSession.hiddenFields(posted.body())).containsEntry("error", "login_required").containsEntry("state", "st-1")
                .doesNotContainKey("iss");

        WebSession browser = loggedIn("heidi");
        Map<String, String> answer = WebSession.hiddenFields(browser.get(authorize("app-b", "&prompt=none&response_mode=form_post")).body());
        assertThat(answer).containsKey("code").containsEntry("iss", jeton.baseUrl()).containsEntry("state", "st-1");
        assertThat(browser.get(authorize("third", "&prompt=none&response_mode=fragment")).headers().firstValue("Location").orElseThrow())
                .startsWith(REDIRECT + "#error=consent_required");
        // An authorization request sent as a form POST (OIDC Core 3.1.2.1) sees the session too.
        HttpResponse<String> postedRequest = browser.post("/oidc/authorize", Map.of("response_type", "code", "client_id", "app-b",
                "redirect_uri", REDIRECT, "scope", "openid", "state", "st-2", "prompt", "none"));
        assertThat(postedRequest.statusCode()).as(postedRequest.body()).isEqualTo(302);
        assertThat(LoginFlow.param(postedRequest, "code")).isNotNull();
        assertThat(LoginFlow.param(postedRequest, "state")).isEqualTo("st-2");
    }

    @Test
    void promptWhenNoneCombinedOrUnknownThenInvalidRequestRedirect() {
        WebSession browser = loggedIn("grace");
        for (String prompt : List.of("none%20login", "login%20none", "bogus")) {
            HttpResponse<String> res = browser.get(authorize("app-a", "&prompt=" + prompt));
            assertThat(res.statusCode()).isEqualTo(302);
            assertThat(LoginFlow.param(res, "error")).as(prompt).isEqualTo("invalid_request");
            assertThat(LoginFlow.param(res, "state")).isEqualTo("st-1");
        }
        assertThat(LoginFlow.param(browser.get(authorize("app-a", "&max_age=soon")), "error")).isEqualTo("invalid_request");
    }

    @Test
    void promptLoginWhenSessionExistsThenLoginPagePrefilledAndNewAuthTime() throws Exception {
        WebSession browser = loggedIn("grace");
        JWTClaimsSet first = idToken("app-a", secretA, browser.get(authorize("app-a", "")));
        long before = first.getLongClaim("auth_time");
        clock.advance(Duration.ofMinutes(3));
        HttpResponse<String> page = browser.get(authorize("app-a", "&prompt=login"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"username\" value=\"grace\"");
        String oldCookie = browser.cookie("jeton_session");
        JWTClaimsSet after = idToken("app-a", secretA, browser.login(page, "grace", "grace-password"));
        assertThat(after.getLongClaim("auth_time")).isEqualTo(before + 180);
        // The same session, renewed: its sid stays (clients holding it still hear of its end), its cookie secret does not.
        assertThat(after.getStringClaim("sid")).isEqualTo(first.getStringClaim("sid"));
        assertThat(browser.cookie("jeton_session")).isNotEqualTo(oldCookie);
        HttpResponse<String> stale = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(authorize("app-a", "&prompt=none")))
                .header("Cookie", "jeton_session=" + oldCookie).GET().build());
        assertThat(LoginFlow.param(stale, "error")).isEqualTo("login_required");
    }

    @Test
    void maxAgeWhenLoginOlderThenLoginAgainAndPromptNoneGetsLoginRequired() throws Exception {
        WebSession browser = loggedIn("grace");
        clock.advance(Duration.ofMinutes(10));
        HttpResponse<String> young = browser.get(authorize("app-a", "&max_age=3600"));
        assertThat(idToken("app-a", secretA, young).getClaim("auth_time")).isNotNull();
        assertThat(LoginFlow.param(browser.get(authorize("app-a", "&max_age=60&prompt=none")), "error")).isEqualTo("login_required");
        HttpResponse<String> page = browser.get(authorize("app-a", "&max_age=60"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Sign in");
        // max_age=0 is satisfied by the login just made: no loop back to the page.
        HttpResponse<String> zero = browser.login(browser.get(authorize("app-a", "&max_age=0")), "grace", "grace-password");
        JWTClaimsSet claims = idToken("app-a", secretA, zero);
        assertThat(claims.getLongClaim("auth_time")).isEqualTo(clock.instant().getEpochSecond());
    }

    @Test
    void loginHintWhenGivenThenPrefilledAndWhenOtherUserLoggedInThenPromptNoneLoginRequired() {
        HttpResponse<String> page = new WebSession(jeton.baseUrl()).get(authorize("app-a", "&login_hint=erin"));
        assertThat(page.body()).contains("name=\"username\" value=\"erin\"");
        WebSession grace = loggedIn("grace");
        assertThat(LoginFlow.param(grace.get(authorize("app-a", "&login_hint=erin&prompt=none")), "error")).isEqualTo("login_required");
        assertThat(grace.get(authorize("app-a", "&login_hint=erin")).body()).contains("name=\"username\" value=\"erin\"");
    }

    @Test
    void idTokenHintWhenOtherUserOrForgedThenRefusedAndWhenExpiredStillAccepted() throws Exception {
        WebSession grace = loggedIn("grace");
        String hint = idTokenText("app-b", secretB, grace.get(authorize("app-b", "")));
        WebSession mallory = loggedIn("mallory");
        assertThat(LoginFlow.param(mallory.get(authorize("app-a", "&prompt=none&id_token_hint=" + hint)), "error"))
                .isEqualTo("login_required");
        clock.advance(Duration.ofHours(2));
        // Expired, but ours and for grace: grace's session answers silently.
        HttpResponse<String> silent = grace.get(authorize("app-a", "&prompt=none&id_token_hint=" + hint));
        assertThat(idToken("app-a", secretA, silent).getStringClaim("preferred_username")).isEqualTo("grace");

        String[] parts = hint.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        HttpResponse<String> forged = grace.get(authorize("app-a", "&prompt=none&id_token_hint=" + tampered));
        assertThat(LoginFlow.param(forged, "error")).isEqualTo("invalid_request");
        assertThat(LoginFlow.param(forged, "error_description")).contains("id_token_hint");
        assertThat(LoginFlow.param(grace.get(authorize("app-a", "&id_token_hint=not-a-jwt")), "error")).isEqualTo("invalid_request");
    }

    @Test
    void consentWhenThirdPartyThenAskedOnceRememberedAndPromptConsentAsksAgain() throws Exception {
        WebSession browser = loggedIn("dave");
        assertThat(LoginFlow.param(browser.get(authorize("third", "&prompt=none")), "error")).isEqualTo("consent_required");
        HttpResponse<String> page = browser.get(authorize("third", ""));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Allow access?", "<code>openid</code>", "dave", "third");
        HttpResponse<String> denied = browser.submit(page, Map.of("decision", "deny"));
        assertThat(LoginFlow.param(denied, "error")).isEqualTo("access_denied");
        assertThat(LoginFlow.param(denied, "state")).isEqualTo("st-1");

        HttpResponse<String> approved = browser.submit(browser.get(authorize("third", "")), Map.of("decision", "approve"));
        assertThat(idToken("third", secretThird, approved).getAudience()).containsExactly("third");
        // Remembered per user, client and scope: no page now, even silently ...
        assertThat(idToken("third", secretThird, browser.get(authorize("third", "&prompt=none"))).getAudience()).containsExactly("third");
        // ... but a scope not approved yet asks again, and prompt=consent always asks.
        String wider = LoginFlow.authorizeUrl(jeton.baseUrl(), "third", REDIRECT, "openid read", "st-1", null);
        assertThat(browser.get(wider).body()).contains("<code>read</code>");
        assertThat(browser.get(authorize("third", "&prompt=consent")).body()).contains("Allow access?");
        // First-party clients never ask.
        assertThat(browser.get(authorize("app-a", "")).statusCode()).isEqualTo(302);
    }

    @Test
    void selectAccountWhenSessionThenChooserContinueGivesCodeAndOtherAccountShowsLogin() throws Exception {
        WebSession browser = loggedIn("grace");
        HttpResponse<String> chooser = browser.get(authorize("app-b", "&prompt=select_account"));
        assertThat(chooser.body()).contains("Continue as grace", "Use another account");
        JWTClaimsSet claims = idToken("app-b", secretB, browser.submit(chooser, Map.of("action", "continue")));
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo("grace");

        HttpResponse<String> other = browser.submit(browser.get(authorize("app-b", "&prompt=select_account")), Map.of("action", "switch"));
        assertThat(other.body()).contains("name=\"password\"");
        JWTClaimsSet erin = idToken("app-b", secretB, browser.login(other, "erin", "erin-password"));
        assertThat(erin.getStringClaim("preferred_username")).isEqualTo("erin");
        // grace's session in this browser ended when erin logged in.
        assertThat(jeton.wiring().admin().sessions().byId(claims.getStringClaim("sid")).orElseThrow().revokedAt()).isNotNull();
    }

    @Test
    void sessionWhenRevokedPasswordChangedDisabledOrExpiredThenLoginRequired() {
        WebSession byId = loggedIn("frank");
        String id = jeton.wiring().admin().sessions().list("frank").getFirst().session().id();
        assertThat(jeton.wiring().admin().sessions().end(id)).isTrue();
        assertThat(LoginFlow.param(byId.get(authorize("app-a", "&prompt=none")), "error")).isEqualTo("login_required");

        WebSession byUser = loggedIn("frank");
        assertThat(jeton.wiring().admin().sessions().endAllOf("frank")).hasSize(1);
        assertThat(LoginFlow.param(byUser.get(authorize("app-a", "&prompt=none")), "error")).isEqualTo("login_required");

        WebSession beforePassword = loggedIn("frank");
        jeton.wiring().admin().accounts().setPassword("frank", new Secret("frank-password"));
        assertThat(LoginFlow.param(beforePassword.get(authorize("app-a", "&prompt=none")), "error")).isEqualTo("login_required");

        WebSession beforeDisable = loggedIn("frank");
        jeton.wiring().admin().accounts().setUserDisabled("frank", true);
        jeton.wiring().admin().accounts().setUserDisabled("frank", false);
        assertThat(LoginFlow.param(beforeDisable.get(authorize("app-a", "&prompt=none")), "error")).isEqualTo("login_required");

        WebSession idle = loggedIn("frank");
        clock.advance(Duration.ofHours(7));
        assertThat(idle.get(authorize("app-a", "&prompt=none")).headers().firstValue("Location").orElseThrow()).contains("code=");
        clock.advance(Duration.ofHours(7));
        assertThat(idle.get(authorize("app-a", "&prompt=none")).headers().firstValue("Location").orElseThrow()).contains("code=");
        clock.advance(Duration.ofHours(8).plusSeconds(1));
        assertThat(LoginFlow.param(idle.get(authorize("app-a", "&prompt=none")), "error")).isEqualTo("login_required");
    }

    @Test
    void sessionWhenUsedPastItsAbsoluteLifetimeThenLoginRequired() {
        WebSession browser = loggedIn("erin");
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofHours(7));
            assertThat(browser.get(authorize("app-a", "&prompt=none")).headers().firstValue("Location").orElseThrow()).contains("code=");
        }
        clock.advance(Duration.ofHours(4));
        assertThat(LoginFlow.param(browser.get(authorize("app-a", "&prompt=none")), "error")).isEqualTo("login_required");
    }

    @Test
    void sessionCookieWhenGarbageThenLikeNoSession() {
        WebSession browser = new WebSession(jeton.baseUrl());
        HttpResponse<String> res = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(authorize("app-a", "&prompt=none")))
                .header("Cookie", "jeton_session=" + "x".repeat(300) + "; other=1").GET().build());
        assertThat(LoginFlow.param(res, "error")).isEqualTo("login_required");
        assertThat(browser.cookie("jeton_session")).isNull();
    }
}
