package dev.jeton.dialect.oauth2;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.client.oauth2.ApiClient;
import dev.jeton.client.oauth2.ApiException;
import dev.jeton.client.oauth2.api.OAuth2Api;
import dev.jeton.client.oauth2.model.IntrospectionResponse;
import dev.jeton.client.oauth2.model.ProviderMetadata;
import dev.jeton.client.oauth2.model.OAuth2TokenResponse;
import dev.jeton.client.oauth2.model.UserInfo;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.ResourceServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The standard surface driven by the client generated from our own OpenAPI document. */
class OAuth2ClientTest {
    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static OAuth2Api api;
    static OAuth2Api demo;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        ApiClient plain = new ApiClient();
        plain.updateBaseUri(jeton.baseUrl());
        api = new OAuth2Api(plain);
        ApiClient basic = new ApiClient();
        basic.updateBaseUri(jeton.baseUrl());
        basic.setRequestInterceptor(b -> b.header("Authorization", Http.basic("demo", jeton.demoSecret())));
        demo = new OAuth2Api(basic);
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static ResourceServer resourceServer() throws ApiException {
        ProviderMetadata meta = api.getOpenidConfiguration();
        return new ResourceServer(meta.getJwksUri(), meta.getIssuer(), meta.getIssuer());
    }

    @Test
    void discoveryWhenFetchedThenAdvertisesEveryEndpointUnderTheIssuer() throws Exception {
        ProviderMetadata meta = api.getOpenidConfiguration();
        assertThat(meta.getIssuer()).isEqualTo(jeton.baseUrl());
        assertThat(meta.getTokenEndpoint()).isEqualTo(jeton.baseUrl() + "/oidc/token");
        assertThat(meta.getIntrospectionEndpoint()).isEqualTo(jeton.baseUrl() + "/oidc/introspect");
        assertThat(meta.getRevocationEndpoint()).isEqualTo(jeton.baseUrl() + "/oidc/revoke");
        assertThat(meta.getGrantTypesSupported()).contains("client_credentials", "password", "refresh_token");
        assertThat(meta.getTokenEndpointAuthMethodsSupported()).containsExactly("client_secret_basic", "client_secret_post", "client_secret_jwt",
                "private_key_jwt");
        assertThat(api.getAuthorizationServerMetadata().getJwksUri()).isEqualTo(meta.getJwksUri());
        // next and active of ES256 (access tokens) and of RS256 (ID tokens)
        assertThat(api.getJwks().getKeys()).hasSize(4);
    }

    @Test
    void clientCredentialsWhenBasicAuthThenTokenVerifiesThroughJwks() throws Exception {
        OAuth2TokenResponse token = demo.token("client_credentials", "read", null, null, null, null, null, null, null, null, null, null);
        assertThat(token.getTokenType()).isEqualTo("Bearer");
        assertThat(token.getExpiresIn()).isEqualTo(900L);
        assertThat(token.getScope()).isEqualTo("read");
        assertThat(token.getRefreshToken()).isNull();

        JWTClaimsSet claims = resourceServer().verify(token.getAccessToken());
        assertThat(claims.getSubject()).isEqualTo("demo");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("demo");
        assertThat(claims.getStringClaim("scope")).isEqualTo("read");
        assertThat(claims.getAudience()).containsExactly(jeton.baseUrl());
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(900_000L);
    }

    @Test
    void clientCredentialsWhenPostAuthThenIssued() throws Exception {
        OAuth2TokenResponse token = api.token("client_credentials", null, null, null, null, null, null, "demo", jeton.demoSecret(), null, null, null);
        assertThat(token.getScope()).isEqualTo("openid profile read write");
        assertThat(resourceServer().verify(token.getAccessToken()).getStringClaim("client_id")).isEqualTo("demo");
    }

    @Test
    void passwordThenRefreshRotatesAndTheOldTokenRevokesTheFamily() throws Exception {
        OAuth2TokenResponse login = demo.token("password", "openid read", null, null, "admin", jeton.adminPassword(), null, null, null, null, null, null);
        assertThat(login.getRefreshToken()).hasSize(43);
        JWTClaimsSet claims = resourceServer().verify(login.getAccessToken());
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo("admin");

        OAuth2TokenResponse refreshed = demo.token("refresh_token", null, null, null, null, null, login.getRefreshToken(), null, null, null, null, null);
        assertThat(refreshed.getRefreshToken()).isNotEqualTo(login.getRefreshToken());
        assertThat(refreshed.getScope()).isEqualTo("openid read");
        assertThat(resourceServer().verify(refreshed.getAccessToken()).getSubject()).isEqualTo(claims.getSubject());

        assertThatThrownBy(() -> demo.token("refresh_token", null, null, null, null, null, login.getRefreshToken(), null, null, null, null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getResponseBody()).contains("\"error\":\"invalid_grant\"");
                });
        // Reuse revoked the whole family: the newest token is dead too.
        assertThatThrownBy(() -> demo.token("refresh_token", null, null, null, null, null, refreshed.getRefreshToken(), null, null, null, null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getResponseBody())
                        .isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":\"refresh token has been revoked\"}"));
    }

    @Test
    void introspectionWhenActiveThenDescribesTheTokenAndAfterRevocationInactive() throws Exception {
        OAuth2TokenResponse login = demo.token("password", "read", null, null, "admin", jeton.adminPassword(), null, null, null, null, null, null);
        IntrospectionResponse active = demo.introspect(login.getAccessToken(), "access_token", null, null);
        assertThat(active.getActive()).isTrue();
        assertThat(active.getClientId()).isEqualTo("demo");
        assertThat(active.getUsername()).isEqualTo("admin");
        assertThat(active.getScope()).isEqualTo("read");
        assertThat(active.getTokenType()).isEqualTo("Bearer");
        assertThat(active.getIss()).isEqualTo(jeton.baseUrl());

        IntrospectionResponse refresh = demo.introspect(login.getRefreshToken(), null, null, null);
        assertThat(refresh.getActive()).isTrue();
        assertThat(refresh.getTokenType()).isEqualTo("refresh_token");

        demo.revoke(login.getAccessToken(), null, null, null);
        demo.revoke(login.getRefreshToken(), "refresh_token", null, null);
        assertThat(demo.introspect(login.getAccessToken(), null, null, null).getActive()).isFalse();
        assertThat(demo.introspect(login.getRefreshToken(), null, null, null).getActive()).isFalse();
        assertThatThrownBy(() -> demo.token("refresh_token", null, null, null, null, null, login.getRefreshToken(), null, null, null, null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(400));
    }

    @Test
    void introspectionWhenTokenIsGarbageThenInactiveNotAnError() throws Exception {
        assertThat(demo.introspect("not-a-token", null, null, null).getActive()).isFalse();
        assertThat(demo.introspect("a.b.c", null, null, null).getActive()).isFalse();
    }

    /** RFC 7009 2.2: an invalid token is not an error; the answer says nothing about whether it existed. */
    @Test
    void revocationWhenTokenUnknownThenStill200() {
        var res = Http.postForm(jeton.baseUrl() + "/oidc/revoke", "token=never-issued", Http.basic("demo", jeton.demoSecret()));
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEmpty();
    }

    @Test
    void userinfoWhenUserTokenThenClaimsOfTheUser() throws Exception {
        OAuth2TokenResponse login = demo.token("password", "openid", null, null, "admin", jeton.adminPassword(), null, null, null, null, null, null);
        UserInfo info = api.userinfo(Map.of("Authorization", "Bearer " + login.getAccessToken()));
        assertThat(info.getPreferredUsername()).isEqualTo("admin");
        assertThat(info.getGroups()).containsExactly("admins");
        assertThat(info.getSub()).isEqualTo(resourceServer().verify(login.getAccessToken()).getSubject());
    }

    @Test
    void userinfoWhenTokenRevokedThen401InvalidToken() throws Exception {
        OAuth2TokenResponse login = demo.token("password", "openid", null, null, "admin", jeton.adminPassword(), null, null, null, null, null, null);
        demo.revoke(login.getAccessToken(), null, null, null);
        assertThatThrownBy(() -> api.userinfo(Map.of("Authorization", "Bearer " + login.getAccessToken())))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(401);
                    assertThat(e.getResponseHeaders().firstValue("WWW-Authenticate")).hasValueSatisfying(
                            h -> assertThat(h).startsWith("Bearer ").contains("error=\"invalid_token\""));
                });
    }
}
