package dev.jeton.secrets;

import dev.jeton.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id for passwords, and only for passwords: everything else we store is high-entropy
 * and hashed with SHA-256. Hashes are PHC strings ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash})
 * that carry their own cost, so older hashes still verify after the cost changes. Verification
 * also runs for unknown users, on a fixed salt, so the response time does not tell which names
 * exist. The Argon2id is our own over reused memory ({@link Argon2id}), run on threads of its
 * own ({@link Argon2Threads}).
 */
public final class PasswordHasher {
    private static final Pattern PHC = Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final byte[] DUMMY_SALT = "jeton-unknown-user".getBytes(StandardCharsets.US_ASCII);

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random = new SecureRandom();
    /**
     * One pool for the process, not one per hasher: it keeps a work area per hash running at once,
     * as large as the costliest hash, for seconds after the last. Every store a process opens (a
     * server, each in-process command, each test's) makes a hasher, and pools of their own held
     * cores x 19 MiB each until a 1 GiB heap ran out; shared, the areas are bounded by the cores.
     */
    private static final Argon2Threads THREADS = new Argon2Threads(Runtime.getRuntime().availableProcessors());

    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) throw new IllegalArgumentException("invalid Argon2id cost");
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    public String hash(Secret password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = argon2(password, salt, memoryKib, iterations, parallelism, 32);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(hash);
    }

    public boolean verify(Secret password, String storedHash) {
        Matcher phc = storedHash == null ? null : PHC.matcher(storedHash);
        if (phc == null || !phc.matches()) {
            argon2(password, DUMMY_SALT, memoryKib, iterations, parallelism, 32);
            return false;
        }
        byte[] expected = B64D.decode(phc.group(5));
        byte[] actual = argon2(password, B64D.decode(phc.group(4)), Integer.parseInt(phc.group(1)), Integer.parseInt(phc.group(2)),
                Integer.parseInt(phc.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private byte[] argon2(Secret password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        return THREADS.hash(password.value().getBytes(StandardCharsets.UTF_8), salt, memoryKib, iterations, parallelism, length);
    }
}
