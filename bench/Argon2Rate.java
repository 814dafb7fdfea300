import dev.jeton.model.Secret;
import dev.jeton.secrets.PasswordHasher;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw Argon2id verification rate of Jeton's own hasher at given parameters, on every core:
 * the ceiling for password logins. Run:
 * java -cp 'target/jeton.jar:target/lib/*' bench/Argon2Rate.java SECONDS THREADS MEMORY_KIB ITERATIONS
 */
public final class Argon2Rate {
    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        PasswordHasher hasher = new PasswordHasher(Integer.parseInt(args[2]), Integer.parseInt(args[3]), 1);
        Secret password = new Secret("bench-password");
        String hash = hasher.hash(password);
        AtomicLong done = new AtomicLong();
        // Two seconds of warm-up (JIT) that are not counted, then the measured seconds.
        long start = System.nanoTime() + 2_000_000_000L;
        long end = start + seconds * 1_000_000_000L;
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = Thread.ofPlatform().start(() -> {
                long now;
                while ((now = System.nanoTime()) < end) {
                    if (!hasher.verify(password, hash)) throw new IllegalStateException("verification failed");
                    if (now >= start) done.incrementAndGet();
                }
            });
        }
        for (Thread t : workers) t.join();
        System.out.printf("%.1f%n", done.get() / (double) seconds);
    }
}
