package dev.jeton.dialect.oauth2;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.engine.upstream.UpstreamAdmin;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.User;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.LoginFlow;
import dev.jeton.support.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upstream callback against a test provider that forges what a real one never sends: every
 * bad answer is a page that says what went wrong (never a redirect, never a 500), leaves no code
 * and no user behind, and is audited with its reason.
 */
class UpstreamCallbackErrorsTest {
    private static final String CLIENT = "jeton-at-fake";
    private static final String REDIRECT = "http://127.0.0.1:9/cb";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static TestUpstream upstream;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        upstream = TestUpstream.start();
        jeton.wiring().admin().upstreams().add(new UpstreamAdmin.Draft("fake", upstream.issuer(), CLIENT, new Secret("fake:secret/+"),
                null, "groups", List.of("example.com"), null));
        jeton.wiring().admin().accounts().addClient(new ClientSpec("web", Set.of(GrantType.AUTHORIZATION_CODE), Set.of("openid"), List.of(),
                List.of(REDIRECT), null, null, RefreshPolicy.ROTATING, false));
        jeton.wiring().admin().accounts().addUser("taken", new Secret("taken-password"), List.of());
    }

    @AfterAll
    static void stop() {
        if (upstream != null) upstream.close();
        if (jeton != null) jeton.close();
    }

    /** A sign-in started at Jeton: the state and nonce it sent upstream, the PKCE challenge, and the browser's cookie. */
    record Started(String state, String nonce, String challenge, String cookie, String returnTo) {
    }

    static String returnTo() {
        return "/oidc/authorize?response_type=code&client_id=web&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&state=app-" + System.nanoTime();
    }

    static Started begin() {
        String returnTo = returnTo();
        HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oidc/upstream/signin/fake?return=" + URLEncoder.encode(returnTo,
                StandardCharsets.UTF_8), null);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(302);
        String cookie = res.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/oidc/");
        URI location = URI.create(res.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(upstream.issuer() + "/authorize?");
        Map<String, String> q = query(location.getRawQuery());
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", CLIENT).containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", jeton.baseUrl() + "/oidc/upstream/callback").containsEntry("scope", "openid profile email");
        return new Started(q.get("state"), q.get("nonce"), q.get("code_challenge"), cookie.split(";")[0], returnTo);
    }

    static HttpResponse<String> callback(String query, String cookie) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(jeton.baseUrl() + "/oidc/upstream/callback" + (query.isEmpty() ? "" : "?" + query)));
        if (cookie != null) req.header("Cookie", cookie);
        return Http.send(req.GET().build());
    }

    static String ok(Started s) {
        return "code=c0de&state=" + URLEncoder.encode(s.state(), StandardCharsets.UTF_8) + "&iss=" + URLEncoder.encode(upstream.issuer(),
                StandardCharsets.UTF_8);
    }

    static JWTClaimsSet.Builder valid(Started s, String subject) {
        return TestUpstream.person(upstream.claims(CLIENT, s.nonce(), subject), "user-" + subject, subject + "@example.com", List.of("devs"));
    }

    interface Row {
        HttpResponse<String> run(Started s);
    }

    static Stream<Arguments> badAnswers() {
        return Stream.of(
                Arguments.of("no state", (Row) s -> callback("code=c0de", s.cookie()), "has no state", "upstream.state_missing"),
                Arguments.of("a state Jeton never sent", (Row) s -> callback("code=c0de&state=forged", s.cookie()),
                        "unknown, expired or already used", "upstream.state_unknown"),
                Arguments.of("the state twice", (Row) s -> callback(ok(s) + "&state=other", s.cookie()),
                        "answer cannot be read", "upstream.answer_malformed"),
                Arguments.of("another browser's cookie", (Row) s -> callback(ok(s), "jeton_upstream=someone-else"),
                        "started in another browser", "upstream.state_browser"),
                Arguments.of("no cookie", (Row) s -> callback(ok(s), null), "started in another browser", "upstream.state_browser"),
                Arguments.of("the upstream's error", (Row) s -> callback("error=access_denied&error_description=User+cancelled&state="
                        + s.state(), s.cookie()), "fake did not sign you in (access_denied: User cancelled)", "upstream.error"),
                Arguments.of("answer naming another issuer (RFC 9207)", (Row) s -> callback("code=c0de&state=" + s.state()
                        + "&iss=https://evil.example", s.cookie()), "not from " + upstream.issuer(), "upstream.wrong_issuer"),
                Arguments.of("code refused", (Row) s -> {
                    upstream.refuseCode();
                    return callback(ok(s), s.cookie());
                }, "did not accept the sign-in's code (invalid_grant)", "upstream.token_refused"),
                Arguments.of("wrong nonce", (Row) s -> {
                    upstream.answer(valid(s, "n1").claim("nonce", "replayed-nonce"));
                    return callback(ok(s), s.cookie());
                }, "wrong nonce", "upstream.wrong_nonce"),
                Arguments.of("signed with a key the upstream never published", (Row) s -> {
                    upstream.answerForged(valid(s, "n2"));
                    return callback(ok(s), s.cookie());
                }, "does not carry a valid signature", "upstream.bad_signature"),
                Arguments.of("unsigned (alg none)", (Row) s -> {
                    upstream.answerUnsigned(valid(s, "n3"));
                    return callback(ok(s), s.cookie());
                }, "not a signed JWT", "upstream.id_token_malformed"),
                Arguments.of("another issuer in the ID token", (Row) s -> {
                    upstream.answer(valid(s, "n4").issuer("https://evil.example"));
                    return callback(ok(s), s.cookie());
                }, "issued by https://evil.example", "upstream.wrong_issuer"),
                Arguments.of("another audience", (Row) s -> {
                    upstream.answer(valid(s, "n5").audience("someone-else"));
                    return callback(ok(s), s.cookie());
                }, "not meant for this service", "upstream.wrong_audience"),
                Arguments.of("several audiences, azp another party", (Row) s -> {
                    upstream.answer(valid(s, "n6").audience(List.of(CLIENT, "other")).claim("azp", "other"));
                    return callback(ok(s), s.cookie());
                }, "issued to another party", "upstream.wrong_azp"),
                Arguments.of("expired ID token", (Row) s -> {
                    upstream.answer(valid(s, "n7").issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(8))))
                            .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(3)))));
                    return callback(ok(s), s.cookie());
                }, "has expired", "upstream.id_token_expired"),
                Arguments.of("email outside the allowed domains", (Row) s -> {
                    upstream.answer(valid(s, "n8").claim("email", "n8@evil.example"));
                    return callback(ok(s), s.cookie());
                }, "Accounts of evil.example may not sign in here.", "upstream.domain_not_allowed"),
                Arguments.of("email not verified", (Row) s -> {
                    upstream.answer(valid(s, "n9").claim("email_verified", false));
                    return callback(ok(s), s.cookie());
                }, "not verified", "upstream.email_unverified"),
                Arguments.of("a local user's name, not linked", (Row) s -> {
                    upstream.answer(valid(s, "n10").claim("preferred_username", "taken"));
                    return callback(ok(s), s.cookie());
                }, "A user named taken already exists here", "upstream.name_taken"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAnswers")
    void callbackWhenAnswerIsBadThenClearPageNoUserAndAuditedReason(String name, Row row, String message, String reason) {
        Started s = begin();
        HttpResponse<String> res = row.run(s);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        assertThat(res.headers().firstValue("Location")).isEmpty();
        assertThat(res.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(res.body()).contains("Cannot sign in").contains(LoginPage.escape(message)).doesNotContain("Exception");
        assertThat(AuditTrail.of(dir).await(l -> l.path("event").asText().equals("refused") && reason.equals(l.path("reason").asText())))
                .isNotNull();
        // Nothing was signed in: the page it would have returned to shows the login form again.
        assertThat(withCookie(jeton.baseUrl() + s.returnTo(), s.cookie()).body()).contains("name=\"password\"");
        assertThat(jeton.wiring().admin().accounts().users().stream().map(User::name)).doesNotContain("user-n1", "user-n8", "user-n9");
    }

    @Test
    void callbackWhenValidThenPkceAndBasicAuthUpstreamAndCodeForTheApplicationOnce() throws Exception {
        Started s = begin();
        upstream.answer(valid(s, "ok1"));
        HttpResponse<String> back = callback(ok(s), s.cookie());
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        assertThat(back.headers().firstValue("Location")).hasValue(jeton.baseUrl() + s.returnTo());

        // At rest the secret is sealed with the master key; in use it went to the provider as client_secret_basic.
        String sealed = jeton.wiring().admin().upstreams().show("fake").orElseThrow().sealedSecret();
        assertThat(new String(Base64.getDecoder().decode(sealed), StandardCharsets.ISO_8859_1)).doesNotContain("fake:secret");
        TestUpstream.TokenRequest sent = upstream.lastTokenRequest();
        assertThat(sent.authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                (CLIENT + ":" + URLEncoder.encode("fake:secret/+", StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        Map<String, String> form = query(sent.body());
        assertThat(form).containsEntry("grant_type", "authorization_code").containsEntry("code", "c0de")
                .containsEntry("redirect_uri", jeton.baseUrl() + "/oidc/upstream/callback");
        String verifier = form.get("code_verifier");
        assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)))).isEqualTo(s.challenge());

        HttpResponse<String> code = withCookie(jeton.baseUrl() + s.returnTo(), s.cookie());
        assertThat(code.statusCode()).isEqualTo(302);
        assertThat(code.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "?code=");
        // The state was answered once: the same answer again is refused.
        assertThat(callback(ok(s), s.cookie()).body()).contains("unknown, expired or already used");
        // And the sign-in was taken once.
        assertThat(withCookie(jeton.baseUrl() + s.returnTo(), s.cookie()).statusCode()).isEqualTo(200);
    }

    @Test
    void signInWhenGroupsChangeUpstreamThenUpstreamGroupsReplacedAndOperatorGroupsKept() {
        Started first = begin();
        upstream.answer(valid(first, "g1").claim("groups", List.of("devs", "ops")));
        assertThat(callback(ok(first), first.cookie()).statusCode()).isEqualTo(302);
        assertThat(user("user-g1").groups()).containsExactly("devs", "ops");

        Started second = begin();
        // Same account (issuer and sub), new name upstream: still the same Jeton user, linked by sub.
        upstream.answer(valid(second, "g1").claim("preferred_username", "renamed").claim("groups", List.of("devs", "auditors")));
        assertThat(callback(ok(second), second.cookie()).statusCode()).isEqualTo(302);
        assertThat(user("user-g1").groups()).containsExactly("auditors", "devs");
        assertThat(jeton.wiring().admin().accounts().users().stream().map(User::name)).doesNotContain("renamed");
    }

    @Test
    void startWhenUpstreamUnknownOrReturnForeignThenPage() {
        HttpResponse<String> unknown = Http.get(jeton.baseUrl() + "/oidc/upstream/signin/nobody?return=%2Foidc%2Fauthorize", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("There is no identity provider named nobody here.");
        for (String foreign : List.of("https://evil.example/", "//evil.example/oidc/", "/oidc/../admin", "/elsewhere")) {
            HttpResponse<String> res = Http.get(jeton.baseUrl() + "/oidc/upstream/signin/fake?return="
                    + URLEncoder.encode(foreign, StandardCharsets.UTF_8), null);
            assertThat(res.statusCode()).as(foreign).isEqualTo(400);
            assertThat(res.body()).contains("This sign-in link is not valid.");
        }
        HttpResponse<String> twice = Http.get(jeton.baseUrl() + "/oidc/upstream/signin/fake?return=%2Foidc%2Fa&return=%2Foidc%2Fb", null);
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("This sign-in link is not valid.");
    }

    @Test
    void loginPageWhenUpstreamsExistThenButtonReturnsToThisRequest() {
        HttpResponse<String> page = Http.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "web", REDIRECT, "openid", "st", null), null);
        assertThat(page.body()).contains("<a class=\"upstream\" href=\"/oidc/upstream/signin/fake?return=%2Foidc%2Fauthorize%3F")
                .contains(">Sign in with fake</a>");
    }

    private static HttpResponse<String> withCookie(String url, String cookie) {
        return Http.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).GET().build());
    }

    private static User user(String name) {
        return jeton.wiring().admin().accounts().users().stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
