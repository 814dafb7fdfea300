package dev.jeton.secrets;

import dev.jeton.model.Secret;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/** Random values: 256-bit secrets as URL-safe base64 (43 characters), and ids. */
public final class RandomTokens {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private final SecureRandom random = new SecureRandom();

    public Secret secret() {
        return new Secret(URL.encodeToString(bytes(32)));
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
