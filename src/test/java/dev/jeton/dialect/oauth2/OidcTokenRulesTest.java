package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenAuthMethod;
import dev.jeton.model.UserProfile;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.LoginFlow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenID Connect rules a strict relying party checks: RS256 ID tokens by default and ES256 when
 * registered, at_hash, profile and email claims by scope, response modes, private_key_jwt with
 * its audience, expiry and single-use jti, and a discovery document that says all of it.
 */
class OidcTokenRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "http://127.0.0.1:9/callback";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static String webSecret;
    static String esSecret;
    static RSAKey clientKey;
    static String hmacSecret;

    @BeforeAll
    static void start() throws Exception {
        jeton = Jetons.start(dir);
        var admin = jeton.wiring().admin();
        admin.accounts().addUser("ada", new Secret("ada-password"), List.of());
        admin.oidc().updateProfile("ada", new UserProfile("Ada Lovelace", "Ada", "Lovelace", "ada@example.org", false), true);
        webSecret = admin.accounts().addClient(new ClientSpec("web", Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN),
                Set.of("openid", "profile", "email"), List.of(), List.of(REDIRECT), null, null, RefreshPolicy.ROTATING, false)).secret().value();
        esSecret = admin.accounts().addClient(new ClientSpec("es-app", Set.of(GrantType.AUTHORIZATION_CODE), Set.of("openid"), List.of(),
                List.of(REDIRECT), null, null, RefreshPolicy.ROTATING, false)).secret().value();
        admin.oidc().updateClient("es-app", new ClientOidcSettings("ES256", null, null, null));
        clientKey = new RSAKeyGenerator(2048).keyID("app-key-1").generate();
        admin.accounts().addClient(new ClientSpec("signer", Set.of(GrantType.AUTHORIZATION_CODE, GrantType.CLIENT_CREDENTIALS),
                Set.of("openid"), List.of(), List.of(REDIRECT), null, null, RefreshPolicy.ROTATING, false));
        admin.oidc().updateClient("signer", new ClientOidcSettings(null, TokenAuthMethod.PRIVATE_KEY_JWT,
                new JWKSet(clientKey.toPublicJWK()).toString(), null));
        hmacSecret = admin.accounts().addClient(new ClientSpec("hmac", Set.of(GrantType.CLIENT_CREDENTIALS), Set.of("read"), List.of(),
                List.of(), null, null, RefreshPolicy.ROTATING, false)).secret().value();
        admin.oidc().updateClient("hmac", new ClientOidcSettings(null, TokenAuthMethod.CLIENT_SECRET_JWT, null, null));
        admin.oidc().keepSecretIfNeeded("hmac", new Secret(hmacSecret));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static JWK published(String kid) throws Exception {
        return JWKSet.parse(Http.get(jeton.baseUrl() + "/oidc/jwks", null).body()).getKeyByKeyId(kid);
    }

    private static JsonNode codeForTokens(String clientId, String scope, String authorization) throws Exception {
        HttpResponse<String> redirect = LoginFlow.login(LoginFlow.authorizeUrl(jeton.baseUrl(), clientId, REDIRECT, scope, "st", null),
                "ada", "ada-password");
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        String body = "grant_type=authorization_code&code=" + LoginFlow.param(redirect, "code") + "&redirect_uri=" + REDIRECT;
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oidc/token", body, authorization);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return JSON.readTree(res.body());
    }

    @Test
    void idTokenWhenClientRegisteredNoAlgorithmThenRs256WithAtHashOfItsAccessToken() throws Exception {
        JsonNode tokens = codeForTokens("web", "openid profile email", Http.basic("web", webSecret));
        SignedJWT id = SignedJWT.parse(tokens.get("id_token").asText());
        assertThat(id.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        JWK key = published(id.getHeader().getKeyID());
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
        assertThat(id.verify(new RSASSAVerifier(key.toRSAKey()))).isTrue();
        // OIDC Core 3.1.3.6, computed here independently: left half of SHA-256 of the access token.
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(tokens.get("access_token").asText().getBytes(StandardCharsets.US_ASCII));
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        JWTClaimsSet claims = id.getJWTClaimsSet();
        assertThat(claims.getStringClaim("at_hash")).isEqualTo(expected);
        assertThat(claims.getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
        assertThat(claims.getLongClaim("auth_time")).isNotNull();
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(claims.getJWTID()).as("an ID token is never an access token").isNull();
        // Access tokens keep their own algorithm (signing-algorithm, ES256 by default).
        assertThat(SignedJWT.parse(tokens.get("access_token").asText()).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        HttpResponse<String> asBearer = Http.get(jeton.baseUrl() + "/oidc/userinfo", "Bearer " + tokens.get("id_token").asText());
        assertThat(asBearer.statusCode()).isEqualTo(401);
    }

    @Test
    void idTokenWhenClientRegisteredEs256ThenSignedWithThePublishedEcKey() throws Exception {
        JsonNode tokens = codeForTokens("es-app", "openid", Http.basic("es-app", esSecret));
        SignedJWT id = SignedJWT.parse(tokens.get("id_token").asText());
        assertThat(id.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(id.verify(new ECDSAVerifier(published(id.getHeader().getKeyID()).toECKey()))).isTrue();
    }

    @Test
    void userinfoWhenProfileAndEmailScopesThenTheirClaimsAndOnlyThose() throws Exception {
        JsonNode both = codeForTokens("web", "openid profile email", Http.basic("web", webSecret));
        JsonNode info = JSON.readTree(Http.get(jeton.baseUrl() + "/oidc/userinfo", "Bearer " + both.get("access_token").asText()).body());
        assertThat(info.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(info.get("given_name").asText()).isEqualTo("Ada");
        assertThat(info.get("family_name").asText()).isEqualTo("Lovelace");
        assertThat(info.get("preferred_username").asText()).isEqualTo("ada");
        assertThat(info.get("email").asText()).isEqualTo("ada@example.org");
        assertThat(info.get("email_verified").asBoolean()).isTrue();
        assertThat(info.get("sub").asText()).isEqualTo(SignedJWT.parse(both.get("id_token").asText()).getJWTClaimsSet().getSubject());

        JsonNode openidOnly = codeForTokens("web", "openid", Http.basic("web", webSecret));
        JsonNode bare = JSON.readTree(Http.get(jeton.baseUrl() + "/oidc/userinfo", "Bearer " + openidOnly.get("access_token").asText()).body());
        assertThat(bare.has("name")).isFalse();
        assertThat(bare.has("email")).isFalse();
        assertThat(bare.has("email_verified")).isFalse();
    }

    @Test
    void authorizeWhenResponseModeFragmentThenCodeInFragmentAndErrorsToo() {
        String url = LoginFlow.authorizeUrl(jeton.baseUrl(), "web", REDIRECT, "openid", "frag", null) + "&response_mode=fragment";
        HttpResponse<String> ok = LoginFlow.login(url, "ada", "ada-password");
        String location = ok.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "#code=");
        assertThat(URI.create(location).getRawQuery()).isNull();
        HttpResponse<String> error = Http.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "web", REDIRECT, "admin", "frag", null)
                + "&response_mode=fragment", null);
        assertThat(error.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "#error=invalid_scope");
        HttpResponse<String> unknownMode = Http.get(url.replace("fragment", "jwt"), null);
        assertThat(LoginFlow.param(unknownMode, "error")).isEqualTo("invalid_request");
        assertThat(LoginFlow.param(unknownMode, "error_description")).contains("response_mode");
    }

    @Test
    void authorizeWhenResponseModeFormPostThenAPageThatPostsTheCodeWithNoInlineScript() {
        String url = LoginFlow.authorizeUrl(jeton.baseUrl(), "web", REDIRECT, "openid", "fp<&>", null) + "&response_mode=form_post";
        HttpResponse<String> page = LoginFlow.login(url, "ada", "ada-password");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"" + REDIRECT + "\">")
                .contains("name=\"code\" value=\"").contains("name=\"state\" value=\"fp&lt;&amp;&gt;\"")
                .contains("name=\"iss\" value=\"" + jeton.baseUrl() + "\"").contains("<script src=\"/oidc/form_post.js\"></script>");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline");
        HttpResponse<String> script = Http.get(jeton.baseUrl() + "/oidc/form_post.js", null);
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("document.forms[0].submit()");
        HttpResponse<String> error = Http.get(LoginFlow.authorizeUrl(jeton.baseUrl(), "web", REDIRECT, "admin", "e", null)
                + "&response_mode=form_post", null);
        assertThat(error.statusCode()).isEqualTo(200);
        assertThat(error.body()).contains("name=\"error\" value=\"invalid_scope\"");
    }

    private static String assertion(String aud, Date exp, String jti) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("signer").subject("signer").audience(aud).expirationTime(exp)
                .issueTime(new Date()).jwtID(jti).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(clientKey.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(clientKey));
        return jwt.serialize();
    }

    private static HttpResponse<String> clientCredentials(String assertion) {
        return Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials&client_assertion_type="
                + ASSERTION_TYPE + "&client_assertion=" + assertion, null);
    }

    private static Date inMinutes(int minutes) { return new Date(System.currentTimeMillis() + minutes * 60_000L); }

    @Test
    void privateKeyJwtWhenSignedForTheTokenEndpointOrIssuerThenTokenAndAReplayIsRefused() throws Exception {
        String first = assertion(jeton.baseUrl() + "/oidc/token", inMinutes(2), UUID.randomUUID().toString());
        HttpResponse<String> ok = clientCredentials(first);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(SignedJWT.parse(JSON.readTree(ok.body()).get("access_token").asText()).getJWTClaimsSet().getSubject()).isEqualTo("signer");
        assertThat(clientCredentials(assertion(jeton.baseUrl(), inMinutes(2), UUID.randomUUID().toString())).statusCode())
                .as("aud = issuer").isEqualTo(200);

        HttpResponse<String> replay = clientCredentials(first);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(replay.body()).get("error").asText()).isEqualTo("invalid_client");
        assertThat(JSON.readTree(replay.body()).get("error_description").asText()).contains("already used");
        AuditTrail.of(dir).await("event", "refused", "reason", "client_assertion.replayed");
    }

    @Test
    void privateKeyJwtWhenAudienceWrongOrExpiredOrKeyUnknownOrSecretUsedThenInvalidClientWithItsReason() throws Exception {
        record Case(String assertion, String description, String reason) {
        }
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("app-key-1").generate();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("signer").subject("signer").audience(jeton.baseUrl())
                .expirationTime(inMinutes(2)).jwtID(UUID.randomUUID().toString()).build();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("app-key-1").build(), claims);
        forged.sign(new RSASSASigner(stranger));
        SignedJWT unknownKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("nope").build(), claims);
        unknownKid.sign(new RSASSASigner(clientKey));
        List<Case> cases = List.of(
                new Case(assertion("https://elsewhere.example/token", inMinutes(2), UUID.randomUUID().toString()), "aud", "client_assertion.audience"),
                new Case(assertion(jeton.baseUrl(), inMinutes(-5), UUID.randomUUID().toString()), "expired", "client_assertion.expired"),
                new Case(assertion(jeton.baseUrl(), inMinutes(60), UUID.randomUUID().toString()), "minutes away", "client_assertion.lifetime"),
                new Case(assertion(jeton.baseUrl(), inMinutes(2), null), "no jti", "client_assertion.no_jti"),
                new Case(forged.serialize(), "signature", "client_assertion.signature"),
                new Case(unknownKid.serialize(), "kid", "client_assertion.unknown_kid"));
        for (Case c : cases) {
            HttpResponse<String> res = clientCredentials(c.assertion());
            assertThat(res.statusCode()).as(c.reason()).isEqualTo(401);
            JsonNode body = JSON.readTree(res.body());
            assertThat(body.get("error").asText()).isEqualTo("invalid_client");
            assertThat(body.get("error_description").asText()).as(c.reason()).contains(c.description());
            AuditTrail.of(dir).await("event", "refused", "reason", c.reason());
        }
        HttpResponse<String> introspect = Http.postForm(jeton.baseUrl() + "/oidc/introspect", "token=x&client_assertion_type="
                + ASSERTION_TYPE + "&client_assertion=" + assertion("https://elsewhere.example", inMinutes(2), "i-1"), null);
        assertThat(introspect.statusCode()).isEqualTo(401);
        AuditTrail.of(dir).await("event", "refused", "grant", "introspect", "reason", "client_assertion.audience");
    }

    @Test
    void authorizeWhenPostedOrWithParametersJetonIgnoresThenTheLoginPageAndRequestObjectsAreRefused() {
        String query = "response_type=code&client_id=web&redirect_uri=" + REDIRECT + "&scope=openid&state=p1";
        HttpResponse<String> posted = Http.postForm(jeton.baseUrl() + "/oidc/authorize", query, null);
        assertThat(posted.statusCode()).as("OIDC Core 3.1.2.1: POST works like GET").isEqualTo(200);
        assertThat(posted.body()).contains("name=\"password\"");
        HttpResponse<String> ignored = Http.get(jeton.baseUrl() + "/oidc/authorize?" + query
                + "&display=popup&ui_locales=de&claims_locales=de&acr_values=urn:x&unknown_thing=1", null);
        assertThat(ignored.statusCode()).isEqualTo(200);
        HttpResponse<String> request = Http.get(jeton.baseUrl() + "/oidc/authorize?" + query + "&request=eyJhbGciOiJub25lIn0.e30.", null);
        assertThat(LoginFlow.param(request, "error")).isEqualTo("request_not_supported");
        assertThat(LoginFlow.param(request, "state")).isEqualTo("p1");
        HttpResponse<String> requestUri = Http.get(jeton.baseUrl() + "/oidc/authorize?" + query + "&request_uri=https%3A%2F%2Fx.example%2Fr", null);
        assertThat(LoginFlow.param(requestUri, "error")).isEqualTo("request_uri_not_supported");
        HttpResponse<String> missing = Http.get(jeton.baseUrl() + "/oidc/authorize?client_id=web&redirect_uri=" + REDIRECT + "&state=m", null);
        assertThat(LoginFlow.param(missing, "error")).isEqualTo("invalid_request");
        assertThat(LoginFlow.param(missing, "state")).isEqualTo("m");
    }

    @Test
    void codeFlowWhenNoNonceThenIdTokenWithoutNonceAndUserinfoByPostBody() throws Exception {
        String url = jeton.baseUrl() + "/oidc/authorize?response_type=code&client_id=web&redirect_uri=" + REDIRECT
                + "&scope=openid%20email&state=nn";
        HttpResponse<String> redirect = LoginFlow.login(url, "ada", "ada-password");
        HttpResponse<String> res = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=authorization_code&code="
                + LoginFlow.param(redirect, "code") + "&redirect_uri=" + REDIRECT, Http.basic("web", webSecret));
        JsonNode tokens = JSON.readTree(res.body());
        assertThat(SignedJWT.parse(tokens.get("id_token").asText()).getJWTClaimsSet().getClaim("nonce")).isNull();
        HttpResponse<String> body = Http.postForm(jeton.baseUrl() + "/oidc/userinfo", "access_token=" + tokens.get("access_token").asText(), null);
        assertThat(body.statusCode()).as(body.body()).isEqualTo(200);
        assertThat(JSON.readTree(body.body()).get("email").asText()).isEqualTo("ada@example.org");
        HttpResponse<String> header = Http.postForm(jeton.baseUrl() + "/oidc/userinfo", "", "Bearer " + tokens.get("access_token").asText());
        assertThat(header.statusCode()).isEqualTo(200);
    }

    private static String hmacAssertion(String secret, String jti) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("hmac").subject("hmac").audience(jeton.baseUrl() + "/oidc/token")
                .expirationTime(inMinutes(2)).jwtID(jti).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Test
    void clientSecretJwtWhenSignedWithTheSecretThenTokenAndOtherwiseRefusedWithItsReason() throws Exception {
        String good = hmacAssertion(hmacSecret, UUID.randomUUID().toString());
        HttpResponse<String> ok = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials&client_id=hmac"
                + "&client_assertion_type=" + ASSERTION_TYPE + "&client_assertion=" + good, null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(clientCredentials(good).statusCode()).as("replayed").isEqualTo(401);
        HttpResponse<String> wrongSecret = clientCredentials(hmacAssertion("x".repeat(43), UUID.randomUUID().toString()));
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrongSecret.body()).get("error_description").asText()).contains("secret");
        AuditTrail.of(dir).await("event", "refused", "client_id", "hmac", "reason", "client_assertion.signature");
        HttpResponse<String> basic = Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials", Http.basic("hmac", hmacSecret));
        assertThat(basic.statusCode()).as("the registered method only").isEqualTo(401);
        AuditTrail.of(dir).await("event", "refused", "client_id", "hmac", "reason", "client.auth_method");
    }

    @Test
    void discoveryWhenReadThenListsWhatIsSupportedAndNothingElse() throws Exception {
        JsonNode doc = JSON.readTree(Http.get(jeton.baseUrl() + "/.well-known/openid-configuration", null).body());
        assertThat(texts(doc.get("id_token_signing_alg_values_supported"))).containsExactly("RS256", "ES256");
        assertThat(texts(doc.get("response_types_supported"))).containsExactly("code");
        assertThat(texts(doc.get("response_modes_supported"))).containsExactly("query", "fragment", "form_post");
        assertThat(texts(doc.get("scopes_supported"))).contains("openid", "profile", "email");
        assertThat(texts(doc.get("token_endpoint_auth_methods_supported"))).containsExactly("client_secret_basic", "client_secret_post",
                "client_secret_jwt", "private_key_jwt");
        assertThat(texts(doc.get("token_endpoint_auth_signing_alg_values_supported"))).contains("RS256", "ES256", "HS256").doesNotContain("none");
        assertThat(texts(doc.get("claims_supported"))).contains("sub", "name", "email", "email_verified", "at_hash", "nonce", "auth_time");
        assertThat(texts(doc.get("subject_types_supported"))).containsExactly("public");
        assertThat(doc.get("request_parameter_supported").asBoolean()).isFalse();
        assertThat(doc.get("request_uri_parameter_supported").asBoolean()).isFalse();
        assertThat(doc.get("issuer").asText()).isEqualTo(jeton.baseUrl());
        // iss is on codes but not on error redirects (mod_auth_openidc 2.4): RFC 9207 support is not claimed.
        assertThat(doc.get("authorization_response_iss_parameter_supported").asBoolean()).isFalse();
        assertThat(doc.get("end_session_endpoint").asText()).isEqualTo(jeton.baseUrl() + "/oidc/logout");
        assertThat(doc.get("backchannel_logout_supported").asBoolean()).isTrue();
        assertThat(doc.get("backchannel_logout_session_supported").asBoolean()).isTrue();
        assertThat(doc.get("device_authorization_endpoint").asText()).isEqualTo(jeton.baseUrl() + "/oidc/device_authorization");
        assertThat(texts(doc.get("claims_supported"))).contains("sid", "acr", "amr");
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    static String decode(String s) { return URLDecoder.decode(s, StandardCharsets.UTF_8); }
}
