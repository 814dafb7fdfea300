package dev.jeton.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit file of a data directory as a test reads it: every line, parsed, and its raw text for secret scans. */
public final class AuditTrail {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public AuditTrail(Path file) { this.file = file; }

    public static AuditTrail of(Path dataDir) { return new AuditTrail(dataDir.resolve("audit.log")); }

    /** Every line written so far, of the file and its rotated predecessors (oldest first). */
    public List<JsonNode> lines() {
        List<JsonNode> out = new ArrayList<>();
        String text = rawText();
        // The writer may be in the middle of a line: only whole lines count.
        String whole = text.substring(0, text.lastIndexOf('\n') + 1);
        for (String line : whole.split("\n")) {
            if (line.isBlank()) continue;
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("audit line is not JSON: " + line, e);
            }
        }
        return out;
    }

    /** The first line matching, waiting for the writer thread (which writes within milliseconds) up to ten seconds. */
    public JsonNode await(Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            for (JsonNode line : lines()) {
                if (matching.test(line)) return line;
            }
            if (System.nanoTime() > deadline) throw new AssertionError("no audit line matched; the log has:\n" + rawText());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A line with these fields equal to these values: {@code "event", "refused", "subject", "bob"}. */
    public JsonNode await(String... fieldsAndValues) {
        return await(line -> has(line, fieldsAndValues));
    }

    public static boolean has(JsonNode line, String... fieldsAndValues) {
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            JsonNode v = line.get(fieldsAndValues[i]);
            if (v == null || !v.asText().equals(fieldsAndValues[i + 1])) return false;
        }
        return true;
    }

    /** No secret, password or token the test used may appear anywhere in the audit files. */
    public void assertContainsNone(List<String> secrets) {
        String text = rawText();
        assertThat(text).isNotEmpty();
        for (String secret : secrets) {
            assertThat(secret).isNotBlank();
            assertThat(text).as("the audit log must not contain a secret").doesNotContain(secret);
        }
    }

    public String rawText() {
        StringBuilder all = new StringBuilder();
        Path dir = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        List<Path> rotated;
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            rotated = files.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(name) + "\\.\\d+"))
                    .sorted((a, b) -> Integer.compare(suffix(b), suffix(a))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (Path p : rotated) all.append(Files.readString(p));
            if (Files.exists(file)) all.append(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    private static int suffix(Path p) {
        String n = p.getFileName().toString();
        return Integer.parseInt(n.substring(n.lastIndexOf('.') + 1));
    }
}
