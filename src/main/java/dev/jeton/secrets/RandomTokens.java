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

    /** An unguessable id: JWT ids, family ids. 128 bits. */
    public String id() {
        return URL.encodeToString(bytes(16));
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
