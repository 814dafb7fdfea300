package dev.jeton.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds the events of changes made inside a transaction until it commits: a rolled-back change
 * never happened, so it must not be in the audit log. {@link #releaseTo} passes them on.
 */
public final class HeldAuditLog implements AuditLog {
    private final List<AuditEvent> held = new ArrayList<>();

    @Override
    public synchronized void record(AuditEvent event) { held.add(event); }

    /** After the commit: the events, in the order they were recorded. */
    public synchronized void releaseTo(AuditLog log) {
        held.forEach(log::record);
        held.clear();
    }

    /** After a rollback. */
    public synchronized void discard() { held.clear(); }

    @Override
    public void close() {
    }
}
