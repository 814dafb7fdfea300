package dev.jeton.keys;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The AES-256 key that encrypts private signing keys at rest (AES-GCM, the key id as
 * associated data so a ciphertext cannot be swapped onto another key's row).
 */
public final class MasterKey {
    private static final int NONCE = 12;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private MasterKey(byte[] raw) {
        if (raw.length != 32) throw new IllegalArgumentException("master key must be 32 bytes, base64-encoded");
        this.key = new SecretKeySpec(raw, "AES");
    }

    public static MasterKey fromBase64(String encoded) {
        try {
            return new MasterKey(Base64.getDecoder().decode(encoded.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("master key must be 32 bytes, base64-encoded");
        }
    }

    /** Reads the key file, creating it (mode 0600) with a fresh random key when it is missing. */
    public static MasterKey fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] raw = new byte[32];
                new SecureRandom().nextBytes(raw);
                try {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(raw) + "\n");
                } catch (FileAlreadyExistsException raced) {
                    // Another process created it first: use theirs.
                }
            }
            return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create master key file " + file, e);
        }
    }

    /**
     * Reads a key file that must already exist: a server whose storage does not outlive it (a
     * container's file system) must not make a key it would lose, and with it every signing key.
     */
    public static MasterKey fromExistingFile(Path file) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no master key: " + file + " does not exist, and a headless server does not make one."
                    + " Give JETON_MASTER_KEY, or JETON_MASTER_KEY_FILE naming a file with a base64 32-byte key"
                    + " (make one: head -c 32 /dev/urandom | base64)");
        }
        return fromFile(file);
    }

    public byte[] encrypt(byte[] plain, String associated) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public byte[] decrypt(byte[] sealed, String associated) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE));
            c.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, NONCE, sealed.length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt a signing key: wrong master key?", e);
        }
    }
}
