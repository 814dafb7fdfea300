package dev.jeton.http;

import java.util.List;

/** Which dialect's error shape answers a path, for answers given before routing: a short prefix scan, nothing allocated. */
public final class DialectPaths {
    private final String[] prefixes;
    private final ErrorWriter[] writers;
    private final ErrorWriter fallback;

    public DialectPaths(List<Dialect> dialects, ErrorWriter fallback) {
        int n = dialects.stream().mapToInt(d -> d.paths().size()).sum();
        this.prefixes = new String[n];
        this.writers = new ErrorWriter[n];
        int i = 0;
        for (Dialect d : dialects) {
            for (String p : d.paths()) {
                prefixes[i] = p;
                writers[i++] = d.errors();
            }
        }
        this.fallback = fallback;
    }

    /** The dialect's writer, or null when no dialect serves this path (health, metrics, documents). */
    public ErrorWriter owner(String path) {
        if (path == null) return null;
        for (int i = 0; i < prefixes.length; i++) {
            if (path.startsWith(prefixes[i])) return writers[i];
        }
        return null;
    }

    /** The dialect's writer, or plain JSON errors when no dialect serves this path. */
    public ErrorWriter writerFor(String path) {
        ErrorWriter w = owner(path);
        return w == null ? fallback : w;
    }
}
