package dev.jeton.audit;

/**
 * Where audit events go. {@link #record} must never block on I/O: it is called on the token
 * path. {@link #close} writes out everything recorded before it returns.
 */
public interface AuditLog extends AutoCloseable {
    void record(AuditEvent event);

    @Override
    void close();

    /** {@code audit-log = off}. */
    AuditLog OFF = new AuditLog() {
        @Override
        public void record(AuditEvent event) {
        }

        @Override
        public void close() {
        }
    };
}
