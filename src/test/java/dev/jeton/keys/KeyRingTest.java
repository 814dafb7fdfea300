package dev.jeton.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.model.KeyState;
import dev.jeton.model.StoredKey;
import dev.jeton.store.Store;
import dev.jeton.store.jdbc.JdbcStore;
import dev.jeton.store.sqlite.SqliteDatabase;
import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRingTest {
    @TempDir
    Path dir;
    MutableClock clock = MutableClock.startingNow();
    Store store;
    MasterKey master;

    @BeforeEach
    void open() {
        store = new JdbcStore(new SqliteDatabase(dir.resolve("keys.db"), 2));
        master = MasterKey.fromFile(dir.resolve("master.key"));
    }

    @AfterEach
    void close() { store.close(); }

    private KeyRing ring() {
        return new KeyRing(store.keys(), master, CryptoProvider.detect(), clock, Duration.ofDays(1));
    }

    private static String sign(KeyRing ring) {
        return ring.sign(new ClaimsJson().string("sub", "s").end());
    }

    /** The states of the ES256 keys: the cycle these tests follow (every algorithm in use has its own). */
    private Map<String, KeyState> states() {
        return states(SigningAlgorithm.ES256);
    }

    private Map<String, KeyState> states(SigningAlgorithm algorithm) {
        return store.keys().keys().stream().filter(k -> k.algorithm().equals(algorithm.name()))
                .collect(Collectors.toMap(StoredKey::kid, StoredKey::state));
    }

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void signWhenEachAlgorithmThenVerifiesWithThePublishedJwk(SigningAlgorithm algorithm) throws Exception {
        KeyRing ring = ring();
        ring.ensureKeys(algorithm);
        SignedJWT jwt = SignedJWT.parse(sign(ring));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(algorithm.jws());
        JWK published = JWKSet.parse(ring.jwksJson()).getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(published).isNotNull();
        assertThat(published.isPrivate()).isFalse();
        assertThat(jwt.verify(algorithm.verifier(published, CryptoProvider.detect()))).isTrue();
        assertThat(jwt.verify(algorithm.verifier(published, CryptoProvider.jdk("test")))).as("the JDK's provider").isTrue();
        assertThat(ring.verifySignature(jwt)).isTrue();
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
        assertThat(jwt.getHeader().getX509CertChain()).isNull();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("s");
    }

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void signWithCertificateWhenEachAlgorithmThenX5cHoldsTheCertificateWhoseKeyVerifies(SigningAlgorithm algorithm) throws Exception {
        KeyRing ring = ring();
        ring.ensureKeys(algorithm);
        SignedJWT jwt = SignedJWT.parse(ring.signWithCertificate("{\"sub\":\"s\"}"));
        assertThat(jwt.getHeader().getX509CertChain()).hasSize(1);
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(jwt.getHeader().getX509CertChain().get(0).decode()));
        assertThat(ring.certificateBundle()).contains(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded()));
        String kid = jwt.getHeader().getKeyID();
        assertThat(algorithm.publicJwk(kid, certificate.getPublicKey()).toJSONObject())
                .isEqualTo(JWKSet.parse(ring.jwksJson()).getKeyByKeyId(kid).toJSONObject());
        // Plain JCA on the JDK's provider, with the certificate's key: no JOSE library in the way.
        Signature jca = Signature.getInstance(switch (algorithm) {
            case ES256 -> "SHA256withECDSAinP1363Format";
            case RS256 -> "SHA256withRSA";
            case EdDSA -> "Ed25519";
        });
        jca.initVerify(certificate.getPublicKey());
        jca.update(jwt.getSigningInput());
        assertThat(jca.verify(jwt.getSignature().decode())).isTrue();
    }

    @Test
    void ensureKeysWhenEmptyThenOneActiveAndOnePublishedNext() {
        KeyRing ring = ring();
        ring.ensureKeys(SigningAlgorithm.ES256);
        assertThat(states().values()).containsExactlyInAnyOrder(KeyState.ACTIVE, KeyState.NEXT);
        assertThat(states(SigningAlgorithm.RS256).values()).as("RS256 for ID tokens").containsExactlyInAnyOrder(KeyState.ACTIVE, KeyState.NEXT);
        ring.ensureKeys(SigningAlgorithm.ES256);
        assertThat(store.keys().keys()).hasSize(4);
    }

    @Test
    void signWhenAnAlgorithmIsNamedThenItsOwnActiveKeySignsAndBothArePublishedWithAlgAndUse() throws Exception {
        KeyRing ring = ring();
        ring.ensureKeys(SigningAlgorithm.ES256);
        SignedJWT access = SignedJWT.parse(sign(ring));
        SignedJWT id = SignedJWT.parse(ring.sign("{\"sub\":\"s\"}", SigningAlgorithm.RS256));
        assertThat(access.getHeader().getAlgorithm()).isEqualTo(SigningAlgorithm.ES256.jws());
        assertThat(id.getHeader().getAlgorithm()).isEqualTo(SigningAlgorithm.RS256.jws());
        for (SignedJWT jwt : List.of(access, id)) {
            JWK published = JWKSet.parse(ring.jwksJson()).getKeyByKeyId(jwt.getHeader().getKeyID());
            assertThat(published.getAlgorithm()).isEqualTo(jwt.getHeader().getAlgorithm());
            assertThat(published.getKeyUse().identifier()).isEqualTo("sig");
            assertThat(ring.verifySignature(jwt)).isTrue();
        }
        String active = ring.rotate(SigningAlgorithm.ES256);
        assertThat(states(SigningAlgorithm.RS256).values()).containsExactlyInAnyOrder(KeyState.RETIRING, KeyState.ACTIVE, KeyState.NEXT);
        assertThat(SignedJWT.parse(sign(ring)).getHeader().getKeyID()).isEqualTo(active);
        assertThat(ring.verifySignature(id)).as("the rotated-out RS256 key stays published").isTrue();
    }

    @Test
    void rotateWhenCalledThenThePreviouslyPublishedNextKeySignsAndOldOneStaysPublished() throws Exception {
        KeyRing ring = ring();
        ring.ensureKeys(SigningAlgorithm.ES256);
        Set<String> publishedBefore = JWKSet.parse(ring.jwksJson()).getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet());
        String oldToken = sign(ring);

        String active = ring.rotate(SigningAlgorithm.ES256);

        assertThat(publishedBefore).contains(active);
        assertThat(SignedJWT.parse(sign(ring)).getHeader().getKeyID()).isEqualTo(active);
        assertThat(ring.verifySignature(SignedJWT.parse(oldToken))).isTrue();
        assertThat(states().values()).containsExactlyInAnyOrder(KeyState.RETIRING, KeyState.ACTIVE, KeyState.NEXT);
    }

    @Test
    void rotateWhenRetiringKeyIsOlderThanRetireAfterThenItLeavesTheJwks() throws Exception {
        KeyRing ring = ring();
        ring.ensureKeys(SigningAlgorithm.ES256);
        String oldToken = sign(ring);
        ring.rotate(SigningAlgorithm.ES256);
        clock.advance(Duration.ofDays(2));
        ring.rotate(SigningAlgorithm.ES256);
        assertThat(states().values()).containsExactlyInAnyOrder(KeyState.RETIRED, KeyState.RETIRING, KeyState.ACTIVE, KeyState.NEXT);
        assertThat(JWKSet.parse(ring.jwksJson()).getKeys()).hasSize(6);
        assertThat(ring.verifySignature(SignedJWT.parse(oldToken))).isFalse();
    }

    @Test
    void reloadWhenAnotherProcessRotatedThenThisRingSignsWithTheNewKey() throws Exception {
        KeyRing server = ring();
        server.ensureKeys(SigningAlgorithm.ES256);
        KeyRing cli = ring();
        String active = cli.rotate(SigningAlgorithm.ES256);
        assertThat(SignedJWT.parse(sign(server)).getHeader().getKeyID()).isNotEqualTo(active);
        server.reload();
        assertThat(SignedJWT.parse(sign(server)).getHeader().getKeyID()).isEqualTo(active);
    }

    @Test
    void privateKeysAtRestAreEncryptedAndNeedTheMasterKey() throws Exception {
        ring().ensureKeys(SigningAlgorithm.ES256);
        for (StoredKey k : store.keys().keys()) {
            assertThat(new String(k.encryptedPrivateKey(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("BEGIN");
        }
        byte[] other = new byte[32];
        KeyRing wrongMaster = new KeyRing(store.keys(), MasterKey.fromBase64(Base64.getEncoder().encodeToString(other)),
                CryptoProvider.detect(), clock, Duration.ofDays(1));
        assertThatThrownBy(wrongMaster::reload).hasMessageContaining("wrong master key");
    }

    @Test
    void masterKeyFileWhenGeneratedThenOwnerOnly() throws Exception {
        Path file = dir.resolve("fresh/master.key");
        MasterKey.fromFile(file);
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
    }

    @Test
    void cryptoProviderWhenDetectedThenNamed() {
        assertThat(CryptoProvider.detect().description()).isNotBlank();
        assertThat(List.of(SigningAlgorithm.values())).hasSize(3);
    }
}
