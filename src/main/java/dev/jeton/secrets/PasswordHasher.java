package dev.jeton.secrets;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.jeton.model.Secret;

/**
 * Argon2id for passwords, and only for passwords: everything else we store is high-entropy
 * and hashed with SHA-256. Verification also runs for unknown users, against a dummy hash, so
 * the response time does not tell which user names exist.
 */
public final class PasswordHasher {
    private final Argon2Function argon2;
    private final String dummyHash;
    private final java.util.Map<String, Argon2Function> byParameters = new java.util.concurrent.ConcurrentHashMap<>();

    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        this.argon2 = Argon2Function.getInstance(memoryKib, iterations, parallelism, 32, Argon2.ID, 19);
        this.dummyHash = hash(new Secret("jeton-dummy-password-for-timing"));
    }

    public String hash(Secret password) {
        return Password.hash(password.value()).addRandomSalt(16).with(argon2).getResult();
    }

    public boolean verify(Secret password, String storedHash) {
        if (storedHash == null) {
            Password.check(password.value(), dummyHash).with(argon2);
            return false;
        }
        // The stored hash carries its own parameters, so older hashes verify after a cost change.
        return Password.check(password.value(), storedHash).with(functionFor(storedHash));
    }

    /** One function per parameter set, made once: building one per check doubled the cost of a login. */
    private Argon2Function functionFor(String storedHash) {
        int paramsEnd = storedHash.indexOf('$', storedHash.indexOf("m="));
        String params = paramsEnd < 0 ? storedHash : storedHash.substring(0, paramsEnd);
        return byParameters.computeIfAbsent(params, p -> Argon2Function.getInstanceFromHash(storedHash));
    }
}
