import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw Argon2id hash rate at given parameters, on every core: the ceiling for password
 * logins. Run: java -cp 'target/lib/*' bench/Argon2Rate.java SECONDS THREADS MEMORY_KIB ITERATIONS
 */
public final class Argon2Rate {
    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        Argon2Function argon2 = Argon2Function.getInstance(Integer.parseInt(args[2]), Integer.parseInt(args[3]), 1, 32, Argon2.ID, 19);
        String hash = Password.hash("bench-password").addRandomSalt(16).with(argon2).getResult();
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    Password.check("bench-password", hash).with(argon2);
                    done.incrementAndGet();
                }
            });
        }
        for (Thread t : workers) t.join();
        System.out.printf("%.1f%n", done.get() / (double) seconds);
    }
}
