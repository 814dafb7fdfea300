package dev.jeton.model;

/**
 * Where a request came from, as the audit log records it: the peer address, the
 * {@code X-Forwarded-For} header when present (reported, not trusted), and the User-Agent.
 */
public record Origin(String address, String forwardedFor, String userAgent) {
    /** A request that did not come over HTTP: the CLI, a test, the server itself. */
    public static final Origin LOCAL = new Origin(null, null, null);
}
