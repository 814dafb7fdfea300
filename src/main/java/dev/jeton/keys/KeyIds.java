package dev.jeton.keys;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Short random key ids: unique, and they reveal nothing about the key. */
final class KeyIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyIds() {
    }

    static String random() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
