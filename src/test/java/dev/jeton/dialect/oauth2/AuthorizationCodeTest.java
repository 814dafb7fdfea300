package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.LoginFlow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The standard authorization code flow with PKCE at /oidc/authorize and /oidc/token, over plain HTTP. */
class AuthorizationCodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "http://127.0.0.1:9/callback";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static String webSecret;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        var accounts = jeton.wiring().admin().accounts();
        accounts.addUser("grace", new Secret("grace-password"), List.of());
        accounts.addUser("mallory", new Secret("mallory-password"), List.of());
        accounts.addClient(new ClientSpec("spa", Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN), Set.of("openid", "read"),
                List.of(), List.of(REDIRECT), null, null, RefreshPolicy.ROTATING, true));
        webSecret = accounts.addClient(new ClientSpec("web", Set.of(GrantType.AUTHORIZATION_CODE), Set.of("openid"), List.of(),
                List.of(REDIRECT, "https://web.example/cb"), null, null, RefreshPolicy.ROTATING, false)).secret().value();
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static HttpResponse<String> token(String body, String authorization) {
        return Http.postForm(jeton.baseUrl() + "/oidc/token", body, authorization);
    }

    @Test
    void codeFlowWhenPublicClientWithPkceThenTokensAndIdTokenWithNonce() throws Exception {
        String verifier = LoginFlow.verifier();
        HttpResponse<String> redirect = LoginFlow.login(LoginFlow.authorizeUrl(jeton.baseUrl(), "spa", REDIRECT, "openid read", "xyz",
                LoginFlow.challenge(verifier)), "grace", "grace-password");
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "?code=");
        assertThat(LoginFlow.param(redirect, "state")).isEqualTo("xyz");
        assertThat(LoginFlow.param(redirect, "iss")).isEqualTo(jeton.baseUrl());
        String code = LoginFlow.param(redirect, "code");

        HttpResponse<String> res = token("grant_type=authorization_code&client_id=spa&code=" + code + "&redirect_uri=" + REDIRECT
                + "&code_verifier=" + verifier, null);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode tokens = JSON.readTree(res.body());
        assertThat(tokens.get("refresh_token")).isNotNull();
        var id = SignedJWT.parse(tokens.get("id_token").asText()).getJWTClaimsSet();
        assertThat(id.getAudience()).containsExactly("spa");
        assertThat(id.getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
        assertThat(id.getStringClaim("preferred_username")).isEqualTo("grace");
        assertThat(jeton.wiring().admin().keys().verifySignature(SignedJWT.parse(tokens.get("id_token").asText()))).isTrue();

        HttpResponse<String> replay = token("grant_type=authorization_code&client_id=spa&code=" + code + "&redirect_uri=" + REDIRECT
                + "&code_verifier=" + verifier, null);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("already used");
        // RFC 6749 4.1.2: what the first use produced is revoked.
        assertThat(token("grant_type=refresh_token&client_id=spa&refresh_token=" + tokens.get("refresh_token").asText(), null).statusCode())
                .isEqualTo(400);
        assertThat(Http.get(jeton.baseUrl() + "/oidc/userinfo", "Bearer " + tokens.get("access_token").asText()).statusCode()).isEqualTo(401);
    }

    @Test
    void codeWhenVerifierWrongOrRedirectDiffersThenInvalidGrant() throws Exception {
        String verifier = LoginFlow.verifier();
        String url = LoginFlow.authorizeUrl(jeton.baseUrl(), "spa", REDIRECT, null, "s", LoginFlow.challenge(verifier));
        String code = LoginFlow.param(LoginFlow.login(url, "grace", "grace-password"), "code");
        HttpResponse<String> wrongVerifier = token("grant_type=authorization_code&client_id=spa&code=" + code + "&redirect_uri=" + REDIRECT
                + "&code_verifier=" + "x".repeat(43), null);
        assertThat(wrongVerifier.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wrongVerifier.body()).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(JSON.readTree(wrongVerifier.body()).get("error_description").asText()).contains("code_verifier does not match");
        String code2 = LoginFlow.param(LoginFlow.login(url, "grace", "grace-password"), "code");
        HttpResponse<String> otherRedirect = token("grant_type=authorization_code&client_id=spa&code=" + code2
                + "&redirect_uri=http://127.0.0.1:9/other&code_verifier=" + verifier, null);
        assertThat(otherRedirect.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(otherRedirect.body()).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(JSON.readTree(otherRedirect.body()).get("error_description").asText()).contains("redirect_uri does not match");
    }

    @Test
    void confidentialClientWhenSecretGivenThenNoPkceNeeded() throws Exception {
        String code = LoginFlow.param(LoginFlow.login(LoginFlow.authorizeUrl(jeton.baseUrl(), "web", REDIRECT, "openid", "s", null),
                "grace", "grace-password"), "code");
        HttpResponse<String> res = token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + REDIRECT,
                Http.basic("web", webSecret));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(JSON.readTree(res.body()).get("id_token")).isNotNull();
    }

    @Test
    void authorizeWhenClientOrRedirectBadThenErrorPageNotRedirect() {
        HttpResponse<String> unknown = Http.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "nobody", REDIRECT, null, "s", null), null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("This application is not known here.");
        assertThat(unknown.headers().firstValue("Location")).isEmpty();
        HttpResponse<String> badRedirect = Http.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "web", "https://evil.example/cb", null, "s",
                null), null);
        assertThat(badRedirect.statusCode()).isEqualTo(400);
        assertThat(badRedirect.body()).contains("not registered");
    }

    @Test
    void authorizeWhenRequestBadThenRedirectedBackWithErrorAndState() {
        HttpResponse<String> noPkce = Http.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "spa", REDIRECT, null, "st8", null), null);
        assertThat(noPkce.statusCode()).isEqualTo(302);
        assertThat(LoginFlow.param(noPkce, "error")).isEqualTo("invalid_request");
        assertThat(LoginFlow.param(noPkce, "state")).isEqualTo("st8");
        HttpResponse<String> badScope = Http.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "web", REDIRECT, "admin", "st9", null), null);
        assertThat(LoginFlow.param(badScope, "error")).isEqualTo("invalid_scope");
        HttpResponse<String> token = Http.get(jeton.baseUrl() + "/oidc/authorize?response_type=token&client_id=web&redirect_uri="
                + REDIRECT, null);
        assertThat(LoginFlow.param(token, "error")).isEqualTo("unsupported_response_type");
    }

    @Test
    void loginWhenPasswordWrongThenPageAgainWithErrorAndAfterFiveFailuresThrottled() {
        String url = LoginFlow.authorizeUrl(jeton.baseUrl(), "web", REDIRECT, null, "s", null);
        HttpResponse<String> wrong = LoginFlow.login(url, "mallory", "nope");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("Incorrect username or password.").contains("value=\"mallory\"");
        for (int i = 0; i < 5; i++) LoginFlow.login(url, "mallory", "nope");
        HttpResponse<String> throttled = LoginFlow.login(url, "mallory", "mallory-password");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.body()).contains("Too many failed logins");
        assertThat(Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 300L);
    }

    @Test
    void loginWhenCsrfCookieMissingThenRefused() {
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oidc/authorize",
                "client_id=web&redirect_uri=" + REDIRECT + "&response_type=code&csrf=forged&username=grace&password=grace-password", null);
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(res.body()).contains("expired or did not come from this site");
    }

    @Test
    void publicClientWhenAskingForItselfOrIntrospectingThenRefused() {
        assertThat(token("grant_type=client_credentials&client_id=spa", null).body()).contains("unauthorized_client");
        assertThat(Http.postForm(jeton.baseUrl() + "/oidc/introspect", "client_id=spa&token=x", null).body())
                .contains("public clients may not introspect tokens");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jeton.wiring().admin().accounts().addClient(new ClientSpec("bad-public",
                        Set.of(GrantType.CLIENT_CREDENTIALS), Set.of(), List.of(), List.of(), null, null, RefreshPolicy.ROTATING, true)))
                .hasMessageContaining("public client cannot use client_credentials");
    }

    @Test
    void loginPageWhenServedThenNoScriptAndStrictHeaders() {
        HttpResponse<String> page = Http.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "web", REDIRECT, null, "<script>", null), null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("<script").contains("&lt;script&gt;");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("default-src 'none'"));
        assertThat(page.headers().firstValue("Set-Cookie")).hasValueSatisfying(v -> assertThat(v).contains("HttpOnly").contains("SameSite=Strict"));
    }
}
