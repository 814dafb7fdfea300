package dev.jeton.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the audit file and its rotated predecessors, oldest first, for {@code jeton audit tail}. */
public final class AuditReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 200;

    private final Path file;
    private final Filter filter;

    public AuditReader(Path file, Filter filter) {
        this.file = file;
        this.filter = filter;
    }

    /**
     * Which lines to show; a null field matches everything. {@code subject} matches a name or an
     * id; {@code reason} a failed check ({@code client.secret_mismatch}) or its family ({@code client});
     * {@code since} is inclusive, {@code until} exclusive.
     */
    public record Filter(String subject, String client, String event, String dialect, String reason, Instant since, Instant until) {
        public Filter(String subject, String client, String event, String dialect) {
            this(subject, client, event, dialect, null, null, null);
        }

        public boolean matches(JsonNode line) {
            return (subject == null || subject.equals(text(line, "subject")) || subject.equals(text(line, "subject_id")))
                    && (client == null || client.equals(text(line, "client_id")))
                    && (event == null || event.equals(text(line, "event")))
                    && (dialect == null || dialect.equals(text(line, "dialect")))
                    && (reason == null || reasonMatches(text(line, "reason")))
                    && (since == null && until == null || inRange(text(line, "time")));
        }

        private boolean reasonMatches(String actual) {
            return actual != null && (actual.equals(reason) || actual.startsWith(reason + "."));
        }

        private boolean inRange(String time) {
            if (time == null) return false;
            try {
                Instant at = Instant.parse(time);
                return (since == null || !at.isBefore(since)) && (until == null || at.isBefore(until));
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }
    }

    /**
     * Newest first: the {@code count} matching lines after the {@code skip} newest, and whether
     * older ones follow. Paging by position: lines written between two pages shift it by as many.
     */
    public Newest newest(int skip, int count) {
        List<JsonNode> oldestFirst = last(skip + count + 1);
        List<JsonNode> newestFirst = new ArrayList<>(oldestFirst.reversed());
        boolean more = newestFirst.size() > skip + count;
        return new Newest(newestFirst.subList(Math.min(skip, newestFirst.size()), Math.min(skip + count, newestFirst.size())), more);
    }

    public record Newest(List<JsonNode> lines, boolean more) {
    }

    /** FILE.n ... FILE.1, FILE: every file that exists, oldest first. */
    public List<Path> files() {
        Path dir = file.toAbsolutePath().getParent();
        Pattern rotated = Pattern.compile(Pattern.quote(file.getFileName().toString()) + "\\.(\\d+)");
        List<Path> out = new ArrayList<>();
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> listing = Files.list(dir)) {
                listing.filter(p -> rotated.matcher(p.getFileName().toString()).matches())
                        .sorted((a, b) -> Integer.compare(number(rotated, b), number(rotated, a)))
                        .forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        if (Files.exists(file)) out.add(file);
        return out;
    }

    /** The last {@code n} matching lines, oldest first, as parsed JSON (lines that are not JSON are skipped). */
    public List<JsonNode> last(int n) {
        Deque<JsonNode> kept = new ArrayDeque<>(Math.min(n, 10_000));
        if (n <= 0) return List.of();
        for (Path p : files()) {
            try (BufferedReader in = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode node = parse(line);
                    if (node == null || !filter.matches(node)) continue;
                    if (kept.size() == n) kept.removeFirst();
                    kept.addLast(node);
                }
            } catch (NoSuchFileException rotatedMeanwhile) {
                // A rotation moved it between listing and reading; its lines are in the next file.
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }
        return List.copyOf(kept);
    }

    /**
     * Follows the file from its current end, handing each new matching line to {@code sink},
     * until the thread is interrupted. A rotation (the file replaced by a shorter one) starts
     * over at the new file's beginning.
     */
    public void follow(Consumer<JsonNode> sink) {
        long position = sizeOf(file);
        StringBuilder partial = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        while (!Thread.currentThread().isInterrupted()) {
            long size = sizeOf(file);
            if (size < position) {
                position = 0;
                partial.setLength(0);
            }
            if (size > position) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    channel.position(position);
                    int read;
                    while ((read = channel.read(buffer.clear())) > 0) {
                        position += read;
                        partial.append(new String(buffer.array(), 0, read, StandardCharsets.UTF_8));
                        emitCompleteLines(partial, sink);
                    }
                } catch (NoSuchFileException rotating) {
                    position = 0;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void emitCompleteLines(StringBuilder partial, Consumer<JsonNode> sink) {
        int end;
        while ((end = partial.indexOf("\n")) >= 0) {
            JsonNode node = parse(partial.substring(0, end));
            partial.delete(0, end + 1);
            if (node != null && filter.matches(node)) sink.accept(node);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static int number(Pattern rotated, Path p) {
        Matcher m = rotated.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static JsonNode parse(String line) {
        if (line.isBlank()) return null;
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String text(JsonNode line, String field) {
        JsonNode v = line.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
