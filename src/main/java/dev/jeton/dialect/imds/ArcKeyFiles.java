package dev.jeton.dialect.imds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Azure Arc's proof of local privilege: for each challenge a fresh random secret in a new
 * {@code .key} file that only the owner can read (0600, in a 0700 directory), so only a process
 * that can read it can answer. A secret is good once and for a short while; its file is deleted
 * when it is used or expires. Only files this class names ({@code jeton-*.key}) are ever deleted.
 */
final class ArcKeyFiles {
    /** More outstanding challenges than this means a client is not answering them: refuse new ones. */
    static final int MAX_OUTSTANDING = 1024;
    private static final String PREFIX = "jeton-";
    private static final String SUFFIX = ".key";
    private static final HexFormat HEX = HexFormat.of();

    private final Path dir;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** By the hex SHA-256 of the secret: a presented secret is found without comparing it to each one. */
    private final Map<String, Key> keys = new ConcurrentHashMap<>();

    /** What became of a presented secret. */
    enum Outcome { ACCEPTED, UNKNOWN, REUSED, EXPIRED }

    private record Key(Path file, Instant expiresAt, AtomicBoolean used) {
    }

    ArcKeyFiles(Path dir, Duration ttl, Clock clock) {
        this.dir = dir;
        this.ttl = ttl;
        this.clock = clock;
        prepare();
    }

    /**
     * Creates the directory owner-only when missing, and removes the expired key files a previous
     * run left behind (only expired ones: another instance on this machine may have live ones).
     */
    private void prepare() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
                Instant expired = Instant.now().minus(ttl);
                for (Path file : stale) {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(expired)) Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Arc key directory " + dir + " (arc-key-dir): " + e.getMessage(), e);
        }
    }

    Path dir() { return dir; }

    /** A new key file, or null when too many challenges are outstanding. */
    Path issue() {
        sweep();
        if (keys.size() >= MAX_OUTSTANDING) return null;
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        // Hex: the SDKs send the file's bytes as they are in a header, so they must be header-safe.
        String secret = HEX.formatHex(bytes);
        byte[] name = new byte[16];
        random.nextBytes(name);
        Path file = dir.resolve(PREFIX + HEX.formatHex(name) + SUFFIX);
        try {
            Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    secret.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("key file name collision", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an Arc key file in " + dir + ": " + e.getMessage(), e);
        }
        keys.put(hash(secret), new Key(file, clock.instant().plus(ttl), new AtomicBoolean()));
        deleteWhenUnanswered(file);
        return file;
    }

    /**
     * A challenge nobody answers leaves no file behind for long, even if no request comes to sweep
     * it: a virtual thread removes the file once its lifetime has passed on the wall clock (the
     * secret itself ends by the injected clock, in {@link #redeem}).
     */
    private void deleteWhenUnanswered(Path file) {
        Thread.ofVirtual().name("arc-key-expiry").start(() -> {
            try {
                Thread.sleep(ttl);
                Files.deleteIfExists(file);
            } catch (InterruptedException | IOException e) {
                // Gone already, or the next sweep or start removes it.
            }
        });
    }

    /** Spends a presented secret: accepted once, within its lifetime; its file is gone afterwards either way. */
    Outcome redeem(String presented) {
        Key key = keys.get(hash(presented));
        if (key == null) {
            sweep();
            return Outcome.UNKNOWN;
        }
        if (!key.used().compareAndSet(false, true)) return Outcome.REUSED;
        delete(key.file());
        sweep();
        return clock.instant().isBefore(key.expiresAt()) ? Outcome.ACCEPTED : Outcome.EXPIRED;
    }

    /** Number of secrets issued and not yet forgotten (used ones are kept until they expire, to tell reuse from a wrong secret). */
    int outstanding() { return keys.size(); }

    /** Forgets expired secrets and deletes their files. */
    private void sweep() {
        Instant now = clock.instant();
        keys.entrySet().removeIf(e -> {
            if (now.isBefore(e.getValue().expiresAt())) return false;
            delete(e.getValue().file());
            return true;
        });
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the Arc key file " + file + ": " + e.getMessage(), e);
        }
    }


    private static String hash(String secret) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
