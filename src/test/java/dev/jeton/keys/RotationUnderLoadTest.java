package dev.jeton.keys;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.jeton.AdminWiring;
import dev.jeton.config.Setting;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys rotate (from another process, as `jeton key rotate` does) while clients keep getting
 * tokens and a resource server verifies them from the JWKS it fetched once: not one fails.
 */
class RotationUnderLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void rotationWhenVerifiersHoldACachedJwksThenNoVerificationFails() throws Exception {
        try (Jetons.Running jeton = Jetons.start(dir, Clock.systemUTC(), Map.of(Setting.KEY_RELOAD_INTERVAL, "100ms"))) {
            AtomicInteger fetches = new AtomicInteger();
            ResourceRetriever counting = new ResourceRetriever() {
                private final DefaultResourceRetriever http = new DefaultResourceRetriever(30_000, 30_000);

                @Override
                public Resource retrieveResource(URL url) throws java.io.IOException {
                    fetches.incrementAndGet();
                    return http.retrieveResource(url);
                }
            };
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(jeton.baseUrl() + "/oidc/jwks").toURL(), counting)
                    .cache(Duration.ofMinutes(10).toMillis(), Duration.ofSeconds(30).toMillis()).refreshAheadCache(false).build();
            DefaultJWTProcessor<SecurityContext> verifier = new DefaultJWTProcessor<>();
            verifier.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));

            String basic = Http.basic("demo", jeton.demoSecret());
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger verified = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            Set<String> kids = ConcurrentHashMap.newKeySet();
            try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
                Set<Future<?>> work = new HashSet<>();
                for (int i = 0; i < 4; i++) {
                    work.add(clients.submit(() -> {
                        while (running.get()) {
                            try {
                                String token = JSON.readTree(Http.postForm(jeton.baseUrl() + "/oidc/token", "grant_type=client_credentials",
                                        basic).body()).get("access_token").asText();
                                verifier.process(token, null);
                                kids.add(SignedJWT.parse(token).getHeader().getKeyID());
                                verified.incrementAndGet();
                            } catch (Exception e) {
                                failed.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                // Generous bounds: the loops end on their conditions, the deadlines only guard a hang
                // (a loaded CI machine once took longer than 5 s).
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (verified.get() < 50 && System.nanoTime() < deadline) Thread.sleep(10);
                try (AdminWiring operator = new AdminWiring(Jetons.config(dir, Map.of()), Clock.systemUTC())) {
                    operator.keys().rotate(SigningAlgorithm.ES256);
                }
                deadline = System.nanoTime() + 60_000_000_000L;
                while (kids.size() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
                int atRotation = verified.get();
                while (verified.get() < atRotation + 50 && System.nanoTime() < deadline) Thread.sleep(10);
                running.set(false);
                for (Future<?> f : work) f.get();
            }
            assertThat(kids).as("tokens were signed by the old and the new key").hasSize(2);
            assertThat(failed.get()).isZero();
            assertThat(verified.get()).isGreaterThan(100);
            assertThat(fetches.get()).as("the verifier never had to fetch the JWKS again").isEqualTo(1);
        }
    }
}
