package dev.jeton.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;

/**
 * Key ids in libtrust's format, which Docker Distribution requires in the {@code kid} of the
 * tokens it trusts: SHA-256 of the DER public key (SubjectPublicKeyInfo), first 30 bytes,
 * base32, twelve groups of four joined by ':'. Every Jeton key uses it, so one kid names a
 * key in the JWKS and in the registry's certificate bundle alike.
 */
public final class KeyIds {
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private KeyIds() {
    }

    public static String libtrust(PublicKey key) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String b32 = base32(java.util.Arrays.copyOf(digest, 30));
        StringBuilder id = new StringBuilder(59);
        for (int i = 0; i < b32.length(); i += 4) {
            if (i > 0) id.append(':');
            id.append(b32, i, i + 4);
        }
        return id.toString();
    }

    /** RFC 4648 base32 of a length that is a multiple of 5 bytes, so there is no padding. */
    static String base32(byte[] data) {
        StringBuilder out = new StringBuilder(data.length * 8 / 5);
        for (int i = 0; i < data.length; i += 5) {
            long chunk = 0;
            for (int j = 0; j < 5; j++) chunk = chunk << 8 | (data[i + j] & 0xFF);
            for (int shift = 35; shift >= 0; shift -= 5) out.append(BASE32[(int) (chunk >>> shift) & 31]);
        }
        return out.toString();
    }

}
