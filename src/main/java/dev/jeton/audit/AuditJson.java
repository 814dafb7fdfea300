package dev.jeton.audit;

import dev.jeton.json.JsonString;
import dev.jeton.model.Origin;
import dev.jeton.model.ScopeLimit;

import java.time.Instant;
import java.util.Collection;

/** Writes an {@link AuditEvent} as one JSON line; absent fields are left out. Runs on the writer thread only. */
final class AuditJson {
    private AuditJson() {
    }

    static void append(StringBuilder out, AuditEvent e) {
        out.append("{\"time\":\"").append(Instant.ofEpochMilli(e.epochMillis())).append('"');
        field(out, "event", e.event());
        field(out, "dialect", e.dialect());
        field(out, "action", e.action());
        field(out, "target", e.target());
        field(out, "grant", e.grant());
        field(out, "subject", e.subject());
        field(out, "subject_id", e.subjectId());
        field(out, "kind", e.subjectKind());
        field(out, "client_id", e.clientId());
        if (e.scope() != null) list(out, "scope", e.scope());
        field(out, "token_id", e.tokenId());
        field(out, "family_id", e.familyId());
        if (e.expiresAt() != null) field(out, "expires_at", e.expiresAt().toString());
        field(out, "reason", e.reason());
        if (e.limits() != null && !e.limits().isEmpty()) limits(out, e);
        field(out, "detail", e.detail());
        Origin from = e.origin();
        if (from != null) {
            field(out, "remote", from.address());
            field(out, "forwarded_for", from.forwardedFor());
            field(out, "user_agent", from.userAgent());
        }
        out.append("}\n");
    }

    private static void limits(StringBuilder out, AuditEvent e) {
        out.append(",\"limits\":[");
        boolean first = true;
        for (ScopeLimit limit : e.limits()) {
            if (!first) out.append(',');
            first = false;
            out.append("{\"requested\":");
            string(out, limit.requested());
            out.append(",\"granted\":");
            string(out, limit.granted());
            out.append(",\"reason\":");
            string(out, limit.reason());
            out.append('}');
        }
        out.append(']');
    }

    private static void list(StringBuilder out, String name, Collection<String> values) {
        out.append(",\"").append(name).append("\":[");
        boolean first = true;
        for (String v : values) {
            if (!first) out.append(',');
            first = false;
            string(out, v);
        }
        out.append(']');
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value == null) return;
        out.append(",\"").append(name).append("\":");
        string(out, value);
    }

    /** Control characters and line separators (a forged User-Agent's newlines) are escaped: one event stays one line. */
    private static void string(StringBuilder out, String s) {
        JsonString.STANDARD.append(out, s);
    }
}
