package dev.jeton.engine.node;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.Wiring;
import dev.jeton.model.Failure;
import dev.jeton.model.Origin;
import dev.jeton.model.Reason;
import dev.jeton.model.Secret;
import dev.jeton.model.TokenRequest.IdentitySelector;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every check of enrolment and of node assertions, each refusal with its own reason, on a real store and a clock moved by hand. */
class NodeCredentialsTest {
    private static final String RESOURCE = "https://vault.azure.net";

    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.startingNow();
    Wiring wiring;
    Nodes nodes;
    ECKey key;

    @BeforeEach
    void open() throws Exception {
        wiring = new Wiring(Jetons.config(dir, Map.of()), clock);
        nodes = wiring.nodes();
        key = new ECKeyGenerator(Curve.P_256).generate();
        wiring.admin().identities().add("web", null, null, null);
        wiring.admin().identities().assign("web", "n1");
        nodes.enrol("n1", wiring.admin().nodes().add("n1").enrolToken(), key.toPublicJWK().toJSONString(), Origin.LOCAL);
    }

    @AfterEach
    void close() { wiring.close(); }

    @Test
    void enrolWhenTokenReusedExpiredWrongOrNodeUnknownThenRefusedEachWithItsReason() throws Exception {
        String publicKey = new ECKeyGenerator(Curve.P_256).generate().toPublicJWK().toJSONString();
        Secret n2 = wiring.admin().nodes().add("n2").enrolToken();
        nodes.enrol("n2", n2, publicKey, Origin.LOCAL);
        assertThat(refusedEnrol("n2", n2, publicKey)).isEqualTo("enrol.token_used");
        Secret n3 = wiring.admin().nodes().add("n3").enrolToken();
        assertThat(refusedEnrol("n3", n2, publicKey)).isEqualTo("enrol.token_invalid");
        assertThat(refusedEnrol("nobody", n3, publicKey)).isEqualTo("enrol.unknown_node");
        clock.advance(NodeAdmin.ENROL_TOKEN_TTL.plusSeconds(1));
        assertThat(refusedEnrol("n3", n3, publicKey)).isEqualTo("enrol.token_expired");
        Secret n4 = wiring.admin().nodes().add("n4").enrolToken();
        wiring.admin().nodes().disable("n4");
        assertThat(refusedEnrol("n4", n4, publicKey)).isEqualTo("node.disabled");
        assertThatThrownBy(() -> nodes.enrol("n4", n4, key.toJSONString(), Origin.LOCAL)).isInstanceOf(Failure.class)
                .hasMessageContaining("private key");
        AuditTrail audit = AuditTrail.of(dir);
        for (String reason : List.of("enrol.token_used", "enrol.token_invalid", "enrol.unknown_node", "enrol.token_expired")) {
            audit.await("event", "refused", "dialect", "agent", "grant", "enrol", "reason", reason);
        }
        audit.assertContainsNone(List.of(n2.value(), n3.value(), n4.value()));
    }

    @Test
    void assertionWhenAnyCheckFailsThenRefusedWithThatChecksReason() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("assertion.audience", assertion(c -> c.audience("https://elsewhere.example")));
        cases.put("assertion.subject", assertion(c -> c.subject("n2")));
        cases.put("assertion.too_long", assertion(c -> c.expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(10))))));
        cases.put("assertion.no_jti", assertion(c -> c.jwtID(null)));
        cases.put("assertion.no_exp", assertion(c -> c.expirationTime(null)));
        cases.put("assertion.expired", assertion(c -> c.issueTime(Date.from(clock.instant().minusSeconds(200)))
                .expirationTime(Date.from(clock.instant().minusSeconds(140)))));
        cases.put("assertion.not_yet_valid", assertion(c -> c.issueTime(Date.from(clock.instant().plusSeconds(120)))
                .expirationTime(Date.from(clock.instant().plusSeconds(150)))));
        cases.put("node.unknown", assertion(c -> c.issuer("ghost").subject("ghost")));
        cases.put("assertion.malformed", "not-a-jwt");
        wiring.admin().nodes().add("n9");
        cases.put("node.not_enrolled", assertion(c -> c.issuer("n9").subject("n9")));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertThatThrownBy(() -> nodes.token(c.getValue(), IdentitySelector.NONE, RESOURCE, Origin.LOCAL)).as(c.getKey())
                    .isInstanceOfSatisfying(Failure.class, f -> {
                        assertThat(f.check()).isEqualTo(c.getKey());
                        assertThat(f.reason()).isEqualTo(Reason.INVALID_CLIENT);
                    });
            AuditTrail.of(dir).await("event", "refused", "dialect", "agent", "reason", c.getKey());
        }
        // The same checks pass for a well-made one, once
        String good = assertion(UnaryOperator.identity());
        assertThat(nodes.token(good, IdentitySelector.NONE, RESOURCE, Origin.LOCAL).identity().name()).isEqualTo("web");
        assertThatThrownBy(() -> nodes.token(good, IdentitySelector.NONE, RESOURCE, Origin.LOCAL))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.check()).isEqualTo("assertion.replayed"));
    }

    @Test
    void assertionWhenSignedByAnotherKeyOrNodeDisabledThenRefused() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        assertThat(refusedToken(sign(other, claims().build()))).isEqualTo("assertion.signature");
        wiring.admin().nodes().disable("n1");
        assertThatThrownBy(() -> nodes.token(assertion(UnaryOperator.identity()), IdentitySelector.NONE, RESOURCE, Origin.LOCAL))
                .isInstanceOfSatisfying(Failure.class, f -> {
                    assertThat(f.check()).isEqualTo("node.disabled");
                    assertThat(f.reason()).isEqualTo(Reason.ACCESS_DENIED);
                });
        wiring.admin().nodes().remove("n1");
        assertThat(refusedToken(assertion(UnaryOperator.identity()))).isEqualTo("node.unknown");
    }

    private String refusedEnrol(String node, Secret token, String publicKey) {
        try {
            nodes.enrol(node, token, publicKey, Origin.LOCAL);
        } catch (Failure f) {
            return f.check();
        }
        throw new AssertionError("enrolment of " + node + " was not refused");
    }

    private String refusedToken(String assertion) {
        try {
            nodes.token(assertion, IdentitySelector.NONE, RESOURCE, Origin.LOCAL);
        } catch (Failure f) {
            return f.check();
        }
        throw new AssertionError("the assertion was not refused");
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer("n1").subject("n1").audience(wiring.issuer()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(60))).jwtID(UUID.randomUUID().toString());
    }

    private String assertion(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        return sign(key, change.apply(claims()).build());
    }

    private static String sign(ECKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }
}
