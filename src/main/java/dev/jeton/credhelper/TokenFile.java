package dev.jeton.credhelper;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The helper's credentials, by registry host: {@code credential-helper-tokens.json}, readable
 * by its owner only (0600, written to a 0600 temporary file and moved into place, so it is
 * never readable by others, not even for a moment, nor half written).
 */
public final class TokenFile {
    public static final String FILE = "credential-helper-tokens.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public TokenFile(Path dir) { this.file = dir.resolve(FILE); }

    /**
     * What is kept for one registry: the username (Docker's {@code <token>} for an identity
     * token) and secret, and for a token from Jeton's sign-in, where to revoke it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(@JsonProperty("username") String username, @JsonProperty("secret") String secret,
                        @JsonProperty("server") String server, @JsonProperty("client_id") String clientId) {
    }

    public Map<String, Entry> read() throws IOException {
        if (!Files.exists(file)) return new TreeMap<>();
        return new TreeMap<>(JSON.readValue(file.toFile(), new TypeReference<Map<String, Entry>>() { }));
    }

    public void write(Map<String, Entry> entries) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".tokens", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entries));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public Path path() { return file; }
}
