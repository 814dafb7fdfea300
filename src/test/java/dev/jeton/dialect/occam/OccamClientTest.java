package dev.jeton.dialect.occam;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jeton.client.occam.ApiClient;
import dev.jeton.client.occam.ApiException;
import dev.jeton.client.occam.api.AuthApi;
import dev.jeton.client.occam.model.AccessAndRefreshTokenResponse;
import dev.jeton.client.occam.model.AccessTokenResponse;
import dev.jeton.client.occam.model.RefreshTokenRequest;
import dev.jeton.engine.ApiKeys.NewApiKey;
import dev.jeton.model.Secret;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import dev.jeton.support.ResourceServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Occam dialect driven by the client generated from its OpenAPI document. */
class OccamClientTest {
    private static final String EMAIL = "ada@example.com";
    private static final String PASSWORD = "correct-horse-battery";

    @TempDir
    static Path dir;
    /** Stands still unless a test moves it (by a second or so: the resource server checks tokens against real time). */
    static final MutableClock CLOCK = MutableClock.startingNow();
    static Jetons.Running jeton;
    static AuthApi auth;
    static ResourceServer resourceServer;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir, CLOCK, java.util.Map.of());
        jeton.wiring().admin().accounts().addUser(EMAIL, new Secret(PASSWORD), List.of());
        ApiClient client = new ApiClient();
        client.updateBaseUri(jeton.baseUrl());
        auth = new AuthApi(client);
        resourceServer = new ResourceServer(jeton.baseUrl() + "/oidc/jwks", jeton.baseUrl(), jeton.baseUrl());
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static AccessAndRefreshTokenResponse login() throws ApiException {
        return auth.authLogin(EMAIL, PASSWORD, null, null, null, null);
    }

    private static AccessAndRefreshTokenResponse refresh(String token) throws ApiException {
        return auth.authRefresh(new RefreshTokenRequest().refreshToken(token));
    }

    private static void assertDetail(ThrowingCall call, int status, String body) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getCode()).isEqualTo(status);
            assertThat(e.getResponseBody()).isEqualTo(body);
        });
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void loginWhenCredentialsRightThenTokensWithEpochSecondsThatVerifyThroughJwks() throws Exception {
        long before = CLOCK.instant().getEpochSecond();
        AccessAndRefreshTokenResponse tokens = auth.authLogin(EMAIL, PASSWORD, "password", "", null, null);
        assertThat(tokens.getTokenType()).isEqualTo("Bearer");
        assertThat(tokens.getExpiresAt()).isEqualTo((int) before + 900);
        assertThat(tokens.getRefreshTokenExpiresAt()).isGreaterThan(tokens.getExpiresAt());
        assertThat(tokens.getRefreshToken()).matches("[A-Za-z0-9_-]{43}");
        JWTClaimsSet claims = resourceServer.verify(tokens.getAccessToken());
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo(EMAIL);
        assertThat(claims.getStringClaim("client_id")).isEqualTo("occam");
    }

    @Test
    void loginWhenPasswordWrongOrUserUnknownThenIncorrectEmailOrPassword() {
        assertDetail(() -> auth.authLogin(EMAIL, "wrong-password", null, null, null, null), 400,
                "{\"detail\":\"Incorrect email or password\"}");
        assertDetail(() -> auth.authLogin("nobody@example.com", PASSWORD, null, null, null, null), 400,
                "{\"detail\":\"Incorrect email or password\"}");
    }

    @Test
    void refreshWhenUsedThenRotatesAndReusingTheOldOneRevokesBoth() throws Exception {
        AccessAndRefreshTokenResponse first = login();
        AccessAndRefreshTokenResponse second = refresh(first.getRefreshToken());
        assertThat(second.getRefreshToken()).isNotEqualTo(first.getRefreshToken());
        assertThat(resourceServer.verify(second.getAccessToken()).getSubject())
                .isEqualTo(resourceServer.verify(first.getAccessToken()).getSubject());

        assertDetail(() -> refresh(first.getRefreshToken()), 400, "{\"detail\":\"Refresh token already used\"}");
        // The thief's replay revoked the family: the victim's newer token is dead too.
        assertDetail(() -> refresh(second.getRefreshToken()), 400, "{\"detail\":\"Refresh token expired\"}");
    }

    @Test
    void refreshWhenTokenUnknownThen404NotFound() {
        assertDetail(() -> refresh("x".repeat(43)), 404, "{\"detail\":\"Refresh token not found\"}");
    }

    @Test
    void keyLoginWhenKeyValidThenTokenOfItsOwnerWithItsScopes() throws Exception {
        NewApiKey key = jeton.wiring().admin().apiKeys().create(EMAIL, "ci", Set.of("jobs:read", "jobs:write"), null);
        assertThat(key.secret().value()).startsWith("sk-occam-");
        AccessTokenResponse token = auth.authTokenFromKey(key.secret().value());
        assertThat(token.getTokenType()).isEqualTo("Bearer");
        JWTClaimsSet claims = resourceServer.verify(token.getAccessToken());
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo(EMAIL);
        assertThat(claims.getStringClaim("scope")).isEqualTo("jobs:read jobs:write");
        assertThat(claims.getSubject()).isEqualTo(jeton.wiring().admin().accounts().users().stream()
                .filter(u -> u.name().equals(EMAIL)).findFirst().orElseThrow().id());
    }

    @Test
    void keyLoginWhenKeyUnknownRevokedOrExpiredThen400() throws Exception {
        assertDetail(() -> auth.authTokenFromKey("sk-occam-nope"), 400, "{\"detail\":\"Invalid API key\"}");
        NewApiKey key = jeton.wiring().admin().apiKeys().create(EMAIL, null, Set.of(), null);
        jeton.wiring().admin().apiKeys().revoke(key.key().id());
        assertDetail(() -> auth.authTokenFromKey(key.secret().value()), 400, "{\"detail\":\"Invalid API key\"}");
        NewApiKey shortLived = jeton.wiring().admin().apiKeys().create(EMAIL, null, Set.of(), CLOCK.instant().plusSeconds(1));
        CLOCK.advance(Duration.ofSeconds(1));
        assertDetail(() -> auth.authTokenFromKey(shortLived.secret().value()), 400, "{\"detail\":\"API key expired\"}");
    }

    @Test
    void openApiWhenFetchedThenDescribesTheThreeOccamOperations() {
        var res = dev.jeton.support.Http.get(jeton.baseUrl() + "/openapi/occam.yaml", null);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).contains("operationId: auth_login").contains("operationId: auth_refresh")
                .contains("operationId: auth_token_from_key").contains("AccessAndRefreshTokenResponse");
    }
}
