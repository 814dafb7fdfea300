package dev.jeton.engine;

import com.nimbusds.jwt.SignedJWT;
import dev.jeton.Wiring;
import dev.jeton.engine.FirstRun.Credentials;
import dev.jeton.keys.SigningAlgorithm;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.Origin;
import dev.jeton.model.Reason;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Introspection remembers tokens whose signature verified (AccessTokens): what it remembers must
 * never outlive what made the token good. Revocation, key retirement and a changed byte all
 * apply to the very next call on the same server, and so do a client's rotated secret or its
 * deletion (clients are held in memory too).
 */
class VerifiedTokensTest {
    @TempDir
    Path dir;
    MutableClock clock = MutableClock.startingNow();
    Wiring wiring;
    Engine engine;
    ClientAuth demo;

    @BeforeEach
    void open() {
        wiring = new Wiring(Jetons.config(dir, Map.of()), clock);
        Credentials credentials = wiring.admin().firstRun().seedIfEmpty().orElseThrow();
        engine = wiring.engine();
        demo = new ClientAuth("demo", credentials.demoClientSecret(), ClientAuth.Method.BASIC);
    }

    @AfterEach
    void close() { wiring.close(); }

    private String accessToken() {
        return engine.issue(new TokenRequest.ClientCredentials("oauth2", demo, null, null)).accessToken();
    }

    @Test
    void introspectionWhenTokenRevokedAfterBeingIntrospectedThenInactiveAtOnce() {
        String token = accessToken();
        assertThat(engine.introspect(demo, token).active()).isTrue();
        assertThat(engine.introspect(demo, token).active()).isTrue();
        engine.revoke("oauth2", demo, token, Origin.LOCAL);
        assertThat(engine.introspect(demo, token)).isEqualTo(TokenInfo.INACTIVE);
    }

    @Test
    void introspectionWhenSigningKeyRetiredAfterBeingIntrospectedThenInactive() throws Exception {
        String token = accessToken();
        String kid = SignedJWT.parse(token).getHeader().getKeyID();
        assertThat(engine.introspect(demo, token).active()).isTrue();
        wiring.admin().changes().rotateKeys(SigningAlgorithm.ES256);
        // Retiring: still published, so tokens it signed still verify.
        assertThat(engine.introspect(demo, token).active()).isTrue();
        wiring.admin().changes().retireKey(kid);
        assertThat(engine.introspect(demo, token)).isEqualTo(TokenInfo.INACTIVE);
        assertThat(engine.introspect(demo, accessToken()).active()).isTrue();
    }

    @Test
    void introspectionWhenOneSignatureCharacterChangedThenInactiveThoughTheOriginalWasRemembered() {
        String token = accessToken();
        assertThat(engine.introspect(demo, token).active()).isTrue();
        // The first character of the signature carries six bits of R; any other letter changes them.
        int at = token.lastIndexOf('.') + 1;
        String forged = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertThat(engine.introspect(demo, forged)).isEqualTo(TokenInfo.INACTIVE);
        String otherClaims = token.substring(0, token.indexOf('.') + 1) + "eyJzdWIiOiJtYWxsb3J5In0" + token.substring(token.lastIndexOf('.'));
        assertThat(engine.introspect(demo, otherClaims)).isEqualTo(TokenInfo.INACTIVE);
        assertThat(engine.introspect(demo, token).active()).isTrue();
    }

    @Test
    void clientCredentialsWhenSecretRotatedThenTheOldSecretIsRefusedAtOnce() {
        accessToken();
        Secret fresh = wiring.admin().changes().rotateClientSecret("demo", java.time.Duration.ZERO);
        assertThatThrownBy(this::accessToken)
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.INVALID_CLIENT));
        demo = new ClientAuth("demo", fresh, ClientAuth.Method.BASIC);
        assertThat(accessToken()).isNotEmpty();
    }

    @Test
    void clientCredentialsWhenClientDeletedThenRefusedAtOnce() {
        accessToken();
        wiring.admin().accounts().deleteClient("demo");
        assertThatThrownBy(this::accessToken)
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.reason()).isEqualTo(Reason.INVALID_CLIENT));
    }
}
