package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.LoginFlow;
import dev.jeton.support.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RP-Initiated Logout 1.0 at /oidc/logout and Back-Channel Logout 1.0 to registered clients:
 * a valid request ends the session everywhere and returns to the registered URI with state;
 * a bad one is shown to the user and ends nothing.
 */
class LogoutEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "http://127.0.0.1:9/callback";
    private static final String AFTER = "https://rp.example/signed-out";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static HttpServer receiver;
    static final BlockingQueue<String> notices = new LinkedBlockingQueue<>();
    static final BlockingQueue<String> es256Notices = new LinkedBlockingQueue<>();
    static String secretRp;
    static String secretOther;
    static String secretBroken;
    static String secretEs;

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/backchannel", exchange -> {
            notices.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.createContext("/backchannel-es", exchange -> {
            es256Notices.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.createContext("/broken", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        receiver.start();
        jeton = Jetons.start(dir);
        var accounts = jeton.wiring().admin().accounts();
        accounts.addUser("grace", new Secret("grace-password"), List.of());
        secretRp = client("rp");
        secretOther = client("other");
        secretBroken = client("broken");
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        jeton.wiring().admin().relyingParties().update("rp", null, List.of(AFTER, "https://rp.example/bye?x=1"), base + "/backchannel");
        jeton.wiring().admin().relyingParties().update("broken", null, null, base + "/broken");
        secretEs = client("rp-es");
        jeton.wiring().admin().oidc().updateClient("rp-es", new dev.jeton.model.ClientOidcSettings("ES256", null, null, null));
        jeton.wiring().admin().relyingParties().update("rp-es", null, List.of(AFTER), base + "/backchannel-es");
    }

    private static String client(String id) {
        return jeton.wiring().admin().accounts().addClient(new ClientSpec(id, Set.of(GrantType.AUTHORIZATION_CODE), Set.of("openid"),
                List.of(), List.of(REDIRECT), null, null, RefreshPolicy.ROTATING, false)).secret().value();
    }

    @AfterAll
    static void stop() {
        jeton.close();
        receiver.stop(0);
    }

    private record Login(WebSession browser, String idToken) {
    }

    /** grace logs in through rp; with {@code alsoBroken}, the session also gives the "broken" client a code. */
    private static Login login(boolean alsoBroken) throws Exception {
        WebSession browser = new WebSession(jeton.baseUrl());
        HttpResponse<String> done = browser.login(browser.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "rp", REDIRECT, "openid", "s", null)),
                "grace", "grace-password");
        String idToken = idToken("rp", secretRp, done);
        if (alsoBroken) idToken("broken", secretBroken, browser.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "broken", REDIRECT, "openid", "s", null)));
        return new Login(browser, idToken);
    }

    private static String idToken(String client, String secret, HttpResponse<String> redirect) throws Exception {
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=authorization_code&code="
                + LoginFlow.param(redirect, "code") + "&redirect_uri=" + REDIRECT, Http.basic(client, secret));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body()).get("id_token").asText();
    }

    private static boolean sessionAlive(WebSession browser) {
        HttpResponse<String> res = browser.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "rp", REDIRECT, "openid", "s", null) + "&prompt=none");
        return LoginFlow.param(res, "code") != null;
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @Test
    void logoutWhenHintAndRegisteredRedirectThenSessionEndsRedirectWithStateAndBackChannelNotice() throws Exception {
        Login login = login(false);
        String sid = SignedJWT.parse(login.idToken()).getJWTClaimsSet().getStringClaim("sid");
        notices.clear();
        HttpResponse<String> res = login.browser().get(jeton.baseUrl() + "/oidc/logout?id_token_hint=" + login.idToken()
                + "&post_logout_redirect_uri=" + enc(AFTER) + "&state=" + enc("a b&c"));
        assertThat(res.statusCode()).isEqualTo(302);
        assertThat(res.headers().firstValue("Location").orElseThrow()).isEqualTo(AFTER + "?state=a+b%26c");
        assertThat(res.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("jeton_session=;").contains("Max-Age=0"));
        assertThat(sessionAlive(login.browser())).isFalse();
        assertThat(jeton.wiring().admin().sessions().byId(sid).orElseThrow().revokedAt()).isNotNull();

        String body = notices.poll(30, TimeUnit.SECONDS);
        assertThat(body).startsWith("logout_token=");
        SignedJWT token = SignedJWT.parse(URLDecoder.decode(body.substring("logout_token=".length()), StandardCharsets.UTF_8));
        assertThat(jeton.wiring().admin().keys().verifySignature(token)).isTrue();
        assertThat(token.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        JWTClaimsSet claims = token.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(jeton.baseUrl());
        assertThat(claims.getAudience()).containsExactly("rp");
        assertThat(claims.getStringClaim("sid")).isEqualTo(sid);
        assertThat(claims.getSubject()).isEqualTo(SignedJWT.parse(login.idToken()).getJWTClaimsSet().getSubject());
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getIssueTime()).isNotNull();
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
        assertThat(claims.getClaim("nonce")).isNull();
        assertThat(claims.getJSONObjectClaim("events")).containsOnlyKeys("http://schemas.openid.net/event/backchannel-logout");
        AuditTrail.of(dir).await("event", "logout", "token_id", sid, "client_id", "rp");
    }

    @Test
    void backChannelWhenClientRegisteredEs256IdTokensThenItsLogoutTokenIsSignedLikeThem() throws Exception {
        WebSession browser = new WebSession(jeton.baseUrl());
        HttpResponse<String> done = browser.login(browser.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "rp-es", REDIRECT, "openid", "s", null)),
                "grace", "grace-password");
        SignedJWT idToken = SignedJWT.parse(idToken("rp-es", secretEs, done));
        assertThat(idToken.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        es256Notices.clear();
        HttpResponse<String> res = browser.get(jeton.baseUrl() + "/oidc/logout?id_token_hint=" + idToken.serialize()
                + "&post_logout_redirect_uri=" + enc(AFTER));
        assertThat(res.statusCode()).isEqualTo(302);

        String body = es256Notices.poll(30, TimeUnit.SECONDS);
        assertThat(body).startsWith("logout_token=");
        SignedJWT token = SignedJWT.parse(URLDecoder.decode(body.substring("logout_token=".length()), StandardCharsets.UTF_8));
        // The RP verifies its logout token with the key set and algorithm of its ID tokens.
        assertThat(token.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(token.getHeader().getKeyID()).isEqualTo(idToken.getHeader().getKeyID());
        assertThat(jeton.wiring().admin().keys().verifySignature(token)).isTrue();
        assertThat(token.getJWTClaimsSet().getAudience()).containsExactly("rp-es");
        assertThat(token.getJWTClaimsSet().getStringClaim("sid")).isEqualTo(idToken.getJWTClaimsSet().getStringClaim("sid"));
    }

    @Test
    void logoutWhenNoStateThenRedirectExactlyToTheRegisteredUri() throws Exception {
        Login login = login(false);
        HttpResponse<String> res = login.browser().get(jeton.baseUrl() + "/oidc/logout?id_token_hint=" + login.idToken()
                + "&post_logout_redirect_uri=" + enc(AFTER));
        assertThat(res.headers().firstValue("Location").orElseThrow()).isEqualTo(AFTER);
        assertThat(sessionAlive(login.browser())).isFalse();
    }

    @Test
    void logoutWhenPostWithClientIdAndRedirectWithQueryThenStateAppended() throws Exception {
        Login login = login(false);
        HttpResponse<String> res = login.browser().post("/oidc/logout", Map.of("client_id", "rp",
                "post_logout_redirect_uri", "https://rp.example/bye?x=1", "state", "s1"));
        assertThat(res.statusCode()).isEqualTo(302);
        assertThat(res.headers().firstValue("Location").orElseThrow()).isEqualTo("https://rp.example/bye?x=1&state=s1");
        assertThat(sessionAlive(login.browser())).isFalse();
    }

    @Test
    void logoutWhenNoRedirectThenSignedOutPageAndWithoutCookieTheHintsSessionEnds() throws Exception {
        Login login = login(false);
        // Only state, nothing to send it to: the page, and state goes nowhere.
        HttpResponse<String> page = login.browser().get(jeton.baseUrl() + "/oidc/logout?state=only-state");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Location")).isEmpty();
        assertThat(page.body()).contains("Signed out");
        assertThat(sessionAlive(login.browser())).isFalse();

        Login other = login(false);
        // A logout from a browser without our cookie (the RP's own window): the hint's sid names the session.
        HttpResponse<String> cookieless = Http.get(jeton.baseUrl() + "/oidc/logout?id_token_hint=" + other.idToken(), null);
        assertThat(cookieless.statusCode()).isEqualTo(200);
        assertThat(sessionAlive(other.browser())).isFalse();
    }

    @Test
    void backChannelWhenClientAnswersErrorThenAuditedAndLogoutStillSucceeds() throws Exception {
        Login login = login(true);
        HttpResponse<String> res = login.browser().get(jeton.baseUrl() + "/oidc/logout?id_token_hint=" + login.idToken());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(sessionAlive(login.browser())).isFalse();
        JsonNode failed = AuditTrail.of(dir).await("event", "logout_notice_failed", "client_id", "broken");
        assertThat(failed.get("reason").asText()).isEqualTo("backchannel_logout.refused");
    }

    static Stream<Arguments> badRequests() throws Exception {
        String forged = forgedHint();
        return Stream.of(
                Arguments.of("unregistered redirect", "client_id=rp&post_logout_redirect_uri=" + enc("https://evil.example/"),
                        "post_logout_redirect_uri is not registered for this application"),
                Arguments.of("redirect of another client", "client_id=other&post_logout_redirect_uri=" + enc(AFTER),
                        "post_logout_redirect_uri is not registered for this application"),
                Arguments.of("redirect without a client", "post_logout_redirect_uri=" + enc(AFTER),
                        "post_logout_redirect_uri needs client_id or id_token_hint"),
                Arguments.of("unknown client", "client_id=nobody", "This application is not known here."),
                Arguments.of("hint not a JWT", "id_token_hint=abc", "id_token_hint is not a signed JWT"),
                Arguments.of("hint forged", "id_token_hint=" + forged, "id_token_hint was not signed by this server"),
                Arguments.of("hint for another client", "client_id=other&id_token_hint=HINT", "client_id is not an audience of id_token_hint"),
                Arguments.of("parameter twice", "client_id=rp&client_id=other", "was sent more than once"),
                Arguments.of("invalid UTF-8", "state=%C3%28", "")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void logoutWhenBadRequestThenErrorPageAndSessionKept(String name, String query, String message) throws Exception {
        Login login = login(false);
        HttpResponse<String> res = login.browser().get(jeton.baseUrl() + "/oidc/logout?" + query.replace("HINT", login.idToken()));
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.headers().firstValue("Location")).isEmpty();
        assertThat(res.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(res.body()).contains("Cannot sign out", message).doesNotContain("Exception");
        assertThat(sessionAlive(login.browser())).isTrue();
    }

    @Test
    void logoutAndAuthorizeWhenGarbageInTheNewParametersThenNeverAServerError() throws Exception {
        Login login = login(false);
        String jwtShaped = "eyJhbGciOiJub25lIn0." + "A".repeat(40) + ".";
        List<String> values = List.of("", "%00", "%FF", "x".repeat(9000), enc("\u202e\ud83d\ude00<script>"), jwtShaped, "a.b.c",
                "eyJ.eyJ.sig", enc("\"}]{"), "%25");
        for (String v : values) {
            for (String param : List.of("id_token_hint", "client_id", "post_logout_redirect_uri", "state")) {
                int status = Http.get(jeton.baseUrl() + "/oidc/logout?" + param + "=" + v, null).statusCode();
                assertThat(status).as(param + "=" + v).isIn(200, 302, 400, 414, 431);
            }
            for (String param : List.of("prompt", "max_age", "login_hint", "id_token_hint")) {
                HttpResponse<String> res = login.browser().get(LoginFlow.authorizeUrl(jeton.baseUrl(), "rp", REDIRECT, "openid", "s", null)
                        + "&" + param + "=" + v);
                assertThat(res.statusCode()).as(param + "=" + v).isIn(200, 302, 400, 414, 431);
            }
        }
    }

    /** A well-formed ID token signed by a key that is not ours. */
    private static String forgedHint() throws Exception {
        var key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("k").generate();
        SignedJWT jwt = new SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256).keyID("k").build(),
                new JWTClaimsSet.Builder().issuer("http://127.0.0.1").subject("grace").audience("rp").build());
        jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
        return jwt.serialize();
    }
}
