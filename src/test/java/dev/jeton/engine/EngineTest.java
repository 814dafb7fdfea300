package dev.jeton.engine;

import dev.jeton.Wiring;
import dev.jeton.config.Setting;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.engine.FirstRun.Credentials;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.Issued;
import dev.jeton.model.Reason;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenInfo;
import dev.jeton.model.TokenRequest;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine on a real SQLite store, with a clock moved by hand. */
class EngineTest {
    @TempDir
    Path dir;
    MutableClock clock = MutableClock.startingNow();
    Wiring wiring;
    Engine engine;
    Credentials credentials;
    ClientAuth demo;

    @BeforeEach
    void open() {
        wiring = new Wiring(Jetons.config(dir, Map.of(Setting.REFRESH_GRACE, "10s", Setting.REFRESH_TOKEN_TTL, "1h")), clock);
        credentials = wiring.admin().firstRun().seedIfEmpty().orElseThrow();
        engine = wiring.engine();
        demo = new ClientAuth("demo", credentials.demoClientSecret(), ClientAuth.Method.BASIC);
    }

    @AfterEach
    void close() { wiring.close(); }

    private Issued login() {
        return engine.issue(new TokenRequest.Password("oauth2", demo, "admin", credentials.adminPassword(), null, null, null));
    }

    private Issued refresh(Secret token) {
        return engine.issue(new TokenRequest.Refresh("oauth2", demo, token, null));
    }

    @Test
    void refreshWhenPredecessorRetriedInsideGraceThenAnsweredAndFamilyStaysValid() {
        Issued first = login();
        Issued second = refresh(first.refreshToken());
        clock.advance(Duration.ofSeconds(5));
        Issued retry = refresh(first.refreshToken());
        assertThat(retry.refreshToken()).isNotEqualTo(second.refreshToken());
        // The family survived: the token from the first answer still works.
        assertThat(refresh(second.refreshToken()).refreshToken()).isNotNull();
    }

    @Test
    void refreshWhenPredecessorRetriedAfterGraceThenFamilyRevoked() {
        Issued first = login();
        Issued second = refresh(first.refreshToken());
        clock.advance(Duration.ofSeconds(11));
        assertThatThrownBy(() -> refresh(first.refreshToken())).isInstanceOf(Failure.class);
        assertThatThrownBy(() -> refresh(second.refreshToken()))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.detail()).isEqualTo("refresh token has been revoked"));
    }

    @Test
    void refreshWhenOlderThanPredecessorThenReuseEvenInsideGrace() {
        Issued first = login();
        Issued second = refresh(first.refreshToken());
        refresh(second.refreshToken());
        assertThatThrownBy(() -> refresh(first.refreshToken()))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.detail()).contains("already used"));
    }

    @Test
    void refreshWhenTokenExpiredThenInvalidGrant() {
        Issued first = login();
        assertThat(first.refreshExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        assertThatThrownBy(() -> refresh(first.refreshToken()))
                .isInstanceOfSatisfying(Failure.class, f -> {
                    assertThat(f.reason()).isEqualTo(Reason.INVALID_GRANT);
                    assertThat(f.detail()).isEqualTo("refresh token has expired");
                });
    }

    @Test
    void refreshWhenReusablePolicyThenSameTokenWorksUntilRevoked() {
        Secret secret = wiring.admin().accounts().addClient(new ClientSpec("reuser", Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN),
                Set.of("read"), List.of(), List.of(), null, null, RefreshPolicy.REUSABLE, false)).secret();
        ClientAuth reuser = new ClientAuth("reuser", secret, ClientAuth.Method.POST);
        Issued login = engine.issue(new TokenRequest.Password("oauth2", reuser, "admin", credentials.adminPassword(), null, null, null));
        for (int i = 0; i < 3; i++) {
            Issued again = engine.issue(new TokenRequest.Refresh("oauth2", reuser, login.refreshToken(), null));
            assertThat(again.refreshToken()).isNull();
            assertThat(again.accessToken()).isNotBlank();
        }
        engine.revoke("oauth2", reuser, login.refreshToken().value(), dev.jeton.model.Origin.LOCAL);
        assertThatThrownBy(() -> engine.issue(new TokenRequest.Refresh("oauth2", reuser, login.refreshToken(), null)))
                .isInstanceOf(Failure.class);
    }

    @Test
    void refreshWhenScopeNarrowedThenGrantedAndWhenWidenedThenInvalidScope() {
        Issued login = engine.issue(new TokenRequest.Password("oauth2", demo, "admin", credentials.adminPassword(),
                Set.of("read", "write"), null, null));
        Issued narrowed = engine.issue(new TokenRequest.Refresh("oauth2", demo, login.refreshToken(), Set.of("read")));
        assertThat(narrowed.scope()).containsExactly("read");
        assertThatThrownBy(() -> engine.issue(new TokenRequest.Refresh("oauth2", demo, narrowed.refreshToken(), Set.of("openid"))))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.INVALID_SCOPE));
    }

    @Test
    void refreshWhenUserDisabledSinceLoginThenRefused() {
        Issued login = login();
        wiring.admin().accounts().setUserDisabled("admin", true);
        assertThatThrownBy(() -> refresh(login.refreshToken()))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.INVALID_GRANT));
    }

    @Test
    void introspectionWhenAccessTokenExpiresThenInactive() {
        Issued token = engine.issue(new TokenRequest.ClientCredentials("oauth2", demo, null, null));
        assertThat(engine.introspect(demo, token.accessToken()).active()).isTrue();
        clock.advance(Duration.ofMinutes(15));
        assertThat(engine.introspect(demo, token.accessToken())).isEqualTo(TokenInfo.INACTIVE);
    }

    @Test
    void introspectionWhenRotatedRefreshTokenThenInactive() {
        Issued first = login();
        refresh(first.refreshToken());
        assertThat(engine.introspect(demo, first.refreshToken().value()).active()).isFalse();
    }

    @Test
    void deleteClientWhenItHasRefreshFamiliesThenTheyStayRevokedForAClientMadeLaterWithTheSameId() {
        Issued login = login();
        ClientSpec spec = new ClientSpec("temp", Set.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN), Set.of(), List.of(), List.of(),
                null, null, RefreshPolicy.ROTATING, false);
        ClientAuth temp = new ClientAuth("temp", wiring.admin().accounts().addClient(spec).secret(), ClientAuth.Method.POST);
        Issued tempLogin = engine.issue(new TokenRequest.Password("oauth2", temp, "admin", credentials.adminPassword(), null, null, null));
        wiring.admin().accounts().deleteClient("temp");
        assertThatThrownBy(() -> engine.issue(new TokenRequest.Refresh("oauth2", temp, tempLogin.refreshToken(), null)))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.INVALID_CLIENT));
        // The client id comes back with a new secret: the old client's tokens do not come back with it.
        ClientAuth reborn = new ClientAuth("temp", wiring.admin().accounts().addClient(spec).secret(), ClientAuth.Method.POST);
        assertThatThrownBy(() -> engine.issue(new TokenRequest.Refresh("oauth2", reborn, tempLogin.refreshToken(), null)))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.detail()).isEqualTo("refresh token has been revoked"));
        // Other clients' families are untouched.
        assertThat(refresh(login.refreshToken()).refreshToken()).isNotNull();
    }

    @Test
    void janitorWhenRowsExpiredThenRemovesThem() {
        Issued login = login();
        engine.revoke("oauth2", demo, engine.issue(new TokenRequest.ClientCredentials("oauth2", demo, null, null)).accessToken(), dev.jeton.model.Origin.LOCAL);
        clock.advance(Duration.ofDays(91));
        assertThat(wiring.janitor().sweep()).isGreaterThanOrEqualTo(3);
        assertThatThrownBy(() -> refresh(login.refreshToken()))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.detail()).isEqualTo("refresh token is invalid"));
    }
}
