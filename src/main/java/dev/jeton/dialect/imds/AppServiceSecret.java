package dev.jeton.dialect.imds;

import dev.jeton.model.Secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The shared secret of App Service's endpoint ({@code IDENTITY_HEADER}, sent as
 * {@code X-IDENTITY-HEADER}): read from a file, made (mode 0600, 256 random bits) when the file
 * does not exist yet. Whoever can read the file can use the endpoint's identities.
 */
public final class AppServiceSecret {
    private final byte[] value;

    private AppServiceSecret(byte[] value) {
        this.value = value;
    }

    /** The file's content without surrounding white space (an editor's or echo's newline); created when missing. */
    public static AppServiceSecret load(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                if (file.getParent() != null) Files.createDirectories(file.getParent());
                Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                        HexFormat.of().formatHex(random));
            }
            String content = Files.readString(file, StandardCharsets.UTF_8).strip();
            // Short secrets can be guessed through the endpoint; the rate limit slows that, it does not stop it.
            if (content.length() < 16) {
                throw new IllegalArgumentException("the App Service secret in " + file + " must have at least 16 characters");
            }
            return new AppServiceSecret(content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the App Service secret file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Constant-time: how much of a guess was right does not show in the time the answer takes. */
    boolean matches(Secret presented) {
        return presented != null && MessageDigest.isEqual(presented.value().getBytes(StandardCharsets.UTF_8), value);
    }
}
