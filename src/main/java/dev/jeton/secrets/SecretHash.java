package dev.jeton.secrets;

import dev.jeton.model.Secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of high-entropy secrets (client secrets, API keys, refresh tokens, codes). */
public final class SecretHash {
    private SecretHash() {
    }

    public static byte[] of(Secret secret) {
        return of(secret.value());
    }

    public static byte[] of(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Constant-time comparison of a presented secret with a stored hash. */
    public static boolean matches(Secret presented, byte[] storedHash) {
        if (presented == null || storedHash == null) return false;
        return MessageDigest.isEqual(of(presented), storedHash);
    }
}
