package dev.jeton.engine.device;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * RFC 8628 6.1 user codes: 8 characters from 20 consonants that cannot be mistaken for each
 * other or spell words (about 34.6 bits, ample for a code that lives minutes behind a guess
 * throttle), shown as {@code XXXX-XXXX}; typed input is read case- and hyphen-insensitively.
 */
public final class UserCodes {
    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int LENGTH = 8;

    private final SecureRandom random = new SecureRandom();

    /** A new code, in its canonical (unformatted) form. */
    String generate() {
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) code[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        return new String(code);
    }

    /** As shown to the user. */
    public static String display(String canonical) {
        return canonical.substring(0, 4) + "-" + canonical.substring(4);
    }

    /** The canonical form of what a user typed, or null when it cannot be a user code. */
    public static String normalize(String typed) {
        if (typed == null || typed.length() > 32) return null;
        StringBuilder code = new StringBuilder(LENGTH);
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || c == ' ') continue;
            if (ALPHABET.indexOf(c) < 0) return null;
            code.append(c);
        }
        return code.length() == LENGTH ? code.toString() : null;
    }
}
