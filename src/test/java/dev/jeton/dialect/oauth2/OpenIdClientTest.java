package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenAuthMethod;
import dev.jeton.model.UserProfile;
import dev.jeton.support.Jetons;
import dev.jeton.support.OpenIdClientJs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * openid-client (npm, OpenID Certified) as the relying party: discovery, code with PKCE through
 * the login page, ID token validation including its signature and the registered algorithm,
 * userinfo with profile and email claims, refresh, RP-initiated logout; authenticating with private_key_jwt.
 */
class OpenIdClientTest {
    private static final String REDIRECT = "http://127.0.0.1:9/cb";
    private static final String AFTER_LOGOUT = "http://127.0.0.1:9/signed-out";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;

    @BeforeAll
    static void start() throws Exception {
        jeton = Jetons.start(dir);
        var admin = jeton.wiring().admin();
        admin.accounts().addUser("lin", new Secret("lin-password"), List.of());
        admin.oidc().updateProfile("lin", new UserProfile("Lin Chen", "Lin", "Chen", "lin@example.org", false), true);
        Set<GrantType> codeAndRefresh = Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);
        Set<String> scopes = Set.of("openid", "profile", "email");
        admin.accounts().addClient(new ClientSpec("node-app", codeAndRefresh, scopes, List.of(), List.of(REDIRECT), null, null,
                RefreshPolicy.ROTATING, false));
        RSAKey key = new RSAKeyGenerator(2048).keyID("node-app-1").generate();
        Files.writeString(dir.resolve("node-app.jwk"), key.toJSONString());
        admin.oidc().updateClient("node-app", new ClientOidcSettings(null, TokenAuthMethod.PRIVATE_KEY_JWT,
                new JWKSet(key.toPublicJWK()).toString(), null));
        admin.relyingParties().update("node-app", null, List.of(AFTER_LOGOUT), null);
        admin.accounts().addClient(new ClientSpec("node-es", codeAndRefresh, scopes, List.of(), List.of(REDIRECT), null, null,
                RefreshPolicy.ROTATING, true));
        admin.oidc().updateClient("node-es", new ClientOidcSettings("ES256", null, null, null));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    @Test
    void openidClientWhenPrivateKeyJwtAndPkceThenRs256IdTokenUserinfoClaimsAndRefresh() throws Exception {
        OpenIdClientJs.Run run = OpenIdClientJs.run(jeton.baseUrl(), "node-app", REDIRECT, "lin", "lin-password",
                "private_key_jwt:" + dir.resolve("node-app.jwk"), "-", AFTER_LOGOUT);
        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonNode code = run.step("code");
        assertThat(code.get("alg").asText()).isEqualTo("RS256");
        assertThat(code.get("at_hash").asText()).isNotEmpty();
        assertThat(code.get("has_refresh").asBoolean()).isTrue();
        JsonNode userinfo = run.step("userinfo");
        assertThat(userinfo.get("sub").asText()).isEqualTo(code.get("sub").asText());
        assertThat(userinfo.get("name").asText()).isEqualTo("Lin Chen");
        assertThat(userinfo.get("given_name").asText()).isEqualTo("Lin");
        assertThat(userinfo.get("email").asText()).isEqualTo("lin@example.org");
        assertThat(userinfo.get("email_verified").asBoolean()).isTrue();
        assertThat(userinfo.get("preferred_username").asText()).isEqualTo("lin");
        JsonNode refresh = run.step("refresh");
        assertThat(refresh.get("rotated").asBoolean()).isTrue();
        assertThat(refresh.get("sub").asText()).isEqualTo(code.get("sub").asText());
        // Logout at the end_session_endpoint the library found: back to the registered address with its state, session ended.
        JsonNode logout = run.step("logout");
        assertThat(logout.get("url").asText()).startsWith(jeton.baseUrl() + "/oidc/logout?");
        assertThat(logout.get("status").asInt()).isEqualTo(302);
        assertThat(logout.get("location").asText()).isEqualTo(AFTER_LOGOUT + "?state=bye");
        String sid = logout.get("sid").asText();
        assertThat(jeton.wiring().admin().sessions().byId(sid).orElseThrow().revokedAt()).isNotNull();
    }

    @Test
    void openidClientWhenClientRegisteredEs256ThenItAcceptsTheEs256IdToken() {
        OpenIdClientJs.Run run = OpenIdClientJs.run(jeton.baseUrl(), "node-es", REDIRECT, "lin", "lin-password", "none", "ES256");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.step("code").get("alg").asText()).isEqualTo("ES256");
        run.step("done");
    }

    @Test
    void openidClientWhenItExpectsRs256ButTheClientRegisteredEs256ThenItRefusesTheIdToken() {
        // The library checks the header's alg against the registered one: proof that it looked.
        OpenIdClientJs.Run run = OpenIdClientJs.run(jeton.baseUrl(), "node-es", REDIRECT, "lin", "lin-password", "none", "RS256");
        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("alg");
    }
}
