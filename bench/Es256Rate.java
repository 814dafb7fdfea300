import dev.jeton.engine.TokenMinter;
import dev.jeton.keys.CryptoProvider;
import dev.jeton.keys.KeyRing;
import dev.jeton.keys.MasterKey;
import dev.jeton.keys.SigningAlgorithm;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.store.Store;
import dev.jeton.store.jdbc.JdbcStore;
import dev.jeton.store.sqlite.SqliteDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling for client_credentials: how many ES256 signatures the provider Jeton signs with
 * (ACCP where it loads, the JDK's otherwise) makes per second on 1 and on 2 threads, and how
 * many whole access tokens Jeton's own minter ({@code TokenMinter} over a {@code KeyRing}:
 * claims JSON, the prebuilt header, base64url, the signature) makes on the same threads.
 * The raw signature uses the same JCA path as {@code keys/JwsSigner}: the key translated once
 * into the provider's own object, a fresh {@code Signature} per token, R||S output.
 * Run (prints "raw1 raw2 mint1 mint2 provider"):
 * java -cp 'target/jeton.jar:target/lib/*' bench/Es256Rate.java SECONDS
 */
public final class Es256Rate {
    private static final byte[] INPUT = ("eyJhbGciOiJFUzI1NiIsImtpZCI6IkFCQ0QiLCJ0eXAiOiJKV1QifQ."
            + "eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjgwODAiLCJzdWIiOiJkZW1vIiwiYXVkIjoiaHR0cDovLzEyNy4wLjAuMTo4MDgwIn0")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        CryptoProvider crypto = CryptoProvider.detect();
        Provider provider = crypto.provider();

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        PrivateKey key = provider == null ? pair.getPrivate()
                : (PrivateKey) KeyFactory.getInstance("EC", provider).translateKey(pair.getPrivate());
        Runnable raw = () -> {
            try {
                Signature s = provider == null ? Signature.getInstance("SHA256withECDSAinP1363Format")
                        : Signature.getInstance("SHA256withECDSAinP1363Format", provider);
                s.initSign(key);
                s.update(INPUT);
                if (s.sign().length != 64) throw new IllegalStateException("not an R||S signature");
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        };

        Path dir = Files.createTempDirectory("es256rate");
        try (Store store = new JdbcStore(new SqliteDatabase(dir.resolve("keys.db"), 1))) {
            KeyRing ring = new KeyRing(store.keys(), MasterKey.fromFile(dir.resolve("master.key")), crypto,
                    Clock.systemUTC(), Duration.ofDays(1));
            ring.ensureKeys(SigningAlgorithm.ES256);
            TokenMinter minter = new TokenMinter(ring, new RandomTokens(), "http://127.0.0.1:8080");
            Subject client = new Subject(SubjectKind.CLIENT, "demo", "demo");
            Runnable mint = () -> minter.mint(client, "demo", Set.of(), "http://127.0.0.1:8080", Duration.ofMinutes(15),
                    java.time.Instant.now());

            double raw1 = rate(raw, 1, seconds), raw2 = rate(raw, 2, seconds);
            double mint1 = rate(mint, 1, seconds), mint2 = rate(mint, 2, seconds);
            System.out.printf("%.0f %.0f %.0f %.0f %s%n", raw1, raw2, mint1, mint2, crypto.description().replace(' ', '_'));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Calls {@code work} on {@code threads} platform threads: two seconds of JIT warm-up not counted, then the measured seconds. */
    private static double rate(Runnable work, int threads, int seconds) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime() + 2_000_000_000L;
        long end = start + seconds * 1_000_000_000L;
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = Thread.ofPlatform().start(() -> {
                long now, counted = 0;
                while ((now = System.nanoTime()) < end) {
                    work.run();
                    if (now >= start) counted++;
                }
                done.addAndGet(counted);
            });
        }
        for (Thread t : workers) t.join();
        return done.get() / (double) seconds;
    }
}
