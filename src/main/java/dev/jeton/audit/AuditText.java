package dev.jeton.audit;

import com.fasterxml.jackson.databind.JsonNode;

/** One audit line for people: time, event, dialect, who, what, why, from where. */
public final class AuditText {
    private AuditText() {
    }

    public static String format(JsonNode line) {
        StringBuilder out = new StringBuilder(160);
        out.append(AuditReader.text(line, "time"));
        out.append(' ').append(pad(AuditReader.text(line, "event"), 14));
        out.append(' ').append(pad(AuditReader.text(line, "dialect"), 8));
        String action = AuditReader.text(line, "action");
        if (action != null) {
            out.append(' ').append(action);
            optional(out, " ", AuditReader.text(line, "target"));
            out.append(" by ").append(who(line));
        } else {
            optional(out, " ", AuditReader.text(line, "grant"));
            out.append(' ').append(who(line));
            optional(out, " client=", AuditReader.text(line, "client_id"));
            JsonNode scope = line.get("scope");
            if (scope != null && scope.isArray() && !scope.isEmpty()) {
                out.append(" scope=");
                for (int i = 0; i < scope.size(); i++) out.append(i == 0 ? "" : " ").append(scope.get(i).asText());
            }
            optional(out, " token=", AuditReader.text(line, "token_id"));
            optional(out, " family=", AuditReader.text(line, "family_id"));
        }
        optional(out, " reason=", AuditReader.text(line, "reason"));
        JsonNode limits = line.get("limits");
        if (limits != null && limits.isArray()) {
            for (JsonNode limit : limits) {
                out.append(" [").append(limit.path("requested").asText()).append(" -> ")
                        .append(limit.path("granted").asText().isEmpty() ? "nothing" : limit.path("granted").asText())
                        .append(": ").append(limit.path("reason").asText()).append(']');
            }
        }
        String detail = AuditReader.text(line, "detail");
        if (detail != null) out.append(" \"").append(detail).append('"');
        optional(out, " from=", AuditReader.text(line, "remote"));
        optional(out, " forwarded-for=", AuditReader.text(line, "forwarded_for"));
        String agent = AuditReader.text(line, "user_agent");
        if (agent != null) out.append(" ua=\"").append(agent).append('"');
        JsonNode count = line.get("count");
        if (count != null) out.append(" count=").append(count.asText());
        return out.toString();
    }

    private static String who(JsonNode line) {
        String kind = AuditReader.text(line, "kind");
        String subject = AuditReader.text(line, "subject");
        if (subject == null) return kind == null ? "-" : kind;
        return kind == null ? subject : kind + ":" + subject;
    }

    private static void optional(StringBuilder out, String label, String value) {
        if (value != null) out.append(label).append(value);
    }

    private static String pad(String s, int width) {
        String v = s == null ? "-" : s;
        return v.length() >= width ? v : v + " ".repeat(width - v.length());
    }
}
