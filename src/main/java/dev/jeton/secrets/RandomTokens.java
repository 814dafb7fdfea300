package dev.jeton.secrets;

import dev.jeton.model.Secret;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Random values: 256-bit secrets as URL-safe base64 (43 characters), and ids. */
public final class RandomTokens {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private final SecureRandom random = new SecureRandom();

    public Secret secret() {
        return new Secret(URL.encodeToString(bytes(32)));
    }

    /**
     * A 256-bit secret, as {@link #secret()}, whose first 48 bits are {@code now} in milliseconds
     * (big-endian) and the other 208 random: stored tokens whose rows are found by their first
     * 128 bits ({@link TokenKey}), so that new rows sort after the ones before them.
     */
    public Secret timeOrderedSecret(Instant now) {
        byte[] b = bytes(32);
        long millis = now.toEpochMilli();
        for (int i = 0; i < 6; i++) b[i] = (byte) (millis >>> (8 * (5 - i)));
        return new Secret(URL.encodeToString(b));
    }

    /** A secret with a recognisable prefix, such as {@code sk-occam-}. */
    public Secret secret(String prefix) {
        return new Secret(prefix + URL.encodeToString(bytes(32)));
    }

    /**
     * An unguessable id: JWT ids, family ids, rule ids. 128 bits, never starting with '-': the
     * CLI takes ids as arguments, and one starting with '-' (1 in 64) was read as an option.
     */
    public String id() {
        String id;
        do {
            id = URL.encodeToString(bytes(16));
        } while (id.charAt(0) == '-');
        return id;
    }

    public String uuid() {
        return UUID.randomUUID().toString();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
