package dev.jeton.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.store.Store;
import dev.jeton.store.jdbc.JdbcStore;
import dev.jeton.store.sqlite.SqliteDatabase;
import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signers reuse their JCA Signature objects (JwsSigner keeps the idle ones): many threads
 * signing at once, more than the signers kept, must each get a whole, valid signature over
 * their own payload, never one mixed with another thread's input.
 */
class JwsSignerReuseTest {
    @org.junit.jupiter.api.io.TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() { store = new JdbcStore(new SqliteDatabase(dir.resolve("keys.db"), 2)); }

    @AfterEach
    void close() { store.close(); }

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void signWhenManyThreadsSignAtOnceThenEveryTokenVerifiesOverItsOwnClaims(SigningAlgorithm algorithm) throws Exception {
        KeyRing ring = new KeyRing(store.keys(), MasterKey.fromFile(dir.resolve("master.key")), CryptoProvider.detect(),
                MutableClock.startingNow(), Duration.ofDays(1));
        ring.ensureKeys(algorithm);
        int threads = 32, each = 50;
        List<Callable<List<String>>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            work.add(() -> {
                List<String> tokens = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    tokens.add(ring.sign(new ClaimsJson().string("sub", thread + "-" + i).end(), algorithm));
                }
                return tokens;
            });
        }
        List<String> all = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<List<String>> f : pool.invokeAll(work)) all.addAll(f.get());
        }
        Set<String> subjects = new HashSet<>();
        for (String token : all) {
            SignedJWT jwt = SignedJWT.parse(token);
            JWK published = JWKSet.parse(ring.jwksJson()).getKeyByKeyId(jwt.getHeader().getKeyID());
            assertThat(jwt.verify(algorithm.verifier(published, CryptoProvider.jdk("cross-check")))).as(token).isTrue();
            subjects.add(jwt.getJWTClaimsSet().getSubject());
        }
        assertThat(subjects).hasSize(threads * each);
    }
}
