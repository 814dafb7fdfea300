package dev.jeton.dialect.oauth2;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.config.Setting;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.LoginFlow;
import dev.jeton.support.WebSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Jeton instances on one database behind one issuer (a load balancer in front): a login on
 * one is a session on the other, a code from one is redeemed on the other, and a logout on
 * either ends the session on both. With -Djeton.test.store=postgres (the second test run) the
 * database is PostgreSQL.
 */
class SessionAcrossInstancesTest {
    private static final String REDIRECT = "http://127.0.0.1:9/callback";
    private static final String ISSUER = "http://127.0.0.1:9/jeton";

    @TempDir
    Path dir;

    @Test
    void sessionWhenStartedOnOneInstanceThenHonouredAndEndedOnTheOther() throws Exception {
        Map<Setting, String> issuer = Map.of(Setting.ISSUER, ISSUER);
        try (Jetons.Running a = Jetons.start(dir, Clock.systemUTC(), issuer);
             Jetons.Running b = Jetons.start(dir, Clock.systemUTC(), issuer)) {
            a.wiring().admin().accounts().addUser("grace", new Secret("grace-password"), List.of());
            String secret = a.wiring().admin().accounts().addClient(new ClientSpec("web", Set.of(GrantType.AUTHORIZATION_CODE),
                    Set.of("openid"), List.of(), List.of(REDIRECT), null, null, RefreshPolicy.ROTATING, false)).secret().value();

            WebSession onA = new WebSession(a.baseUrl());
            HttpResponse<String> loggedIn = onA.login(onA.get(LoginFlow.authorizeUrl(a.baseUrl(), "web", REDIRECT, "openid", "s", null)),
                    "grace", "grace-password");
            assertThat(loggedIn.statusCode()).isEqualTo(302);

            // The same browser cookie, now answered by instance B.
            HttpResponse<String> silent = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    LoginFlow.authorizeUrl(b.baseUrl(), "web", REDIRECT, "openid", "s", null) + "&prompt=none"))
                    .header("Cookie", "jeton_session=" + onA.cookie("jeton_session")).GET().build());
            String code = LoginFlow.param(silent, "code");
            assertThat(code).as(silent.headers().firstValue("Location").orElse("")).isNotNull();
            HttpResponse<String> tokens = Http.postForm(a.baseUrl() + "/oidc/token", "grant_type=authorization_code&code=" + code
                    + "&redirect_uri=" + REDIRECT, Http.basic("web", secret));
            assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
            String idToken = new ObjectMapper().readTree(tokens.body()).get("id_token").asText();
            var claims = SignedJWT.parse(idToken).getJWTClaimsSet();
            assertThat(claims.getIssuer()).isEqualTo(ISSUER);
            assertThat(claims.getStringClaim("sid")).isEqualTo(b.wiring().admin().sessions().list("grace").getFirst().session().id());

            HttpResponse<String> logout = Http.get(b.baseUrl() + "/oidc/logout?id_token_hint=" + idToken, null);
            assertThat(logout.statusCode()).isEqualTo(200);
            HttpResponse<String> after = onA.get(LoginFlow.authorizeUrl(a.baseUrl(), "web", REDIRECT, "openid", "s", null) + "&prompt=none");
            assertThat(LoginFlow.param(after, "error")).isEqualTo("login_required");
        }
    }
}
