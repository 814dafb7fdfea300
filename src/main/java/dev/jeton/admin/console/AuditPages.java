package dev.jeton.admin.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.audit.AuditReader;
import io.helidon.http.Method;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.jeton.admin.console.Html.esc;

/** The audit log, newest first, with its reasons; filtered by subject and reason (a check or its family, as in the admin API). */
final class AuditPages implements ConsolePages {
    private static final int PAGE = 100;
    private final Path file;

    /** @param file the audit file, or null when the audit log is not a file */
    AuditPages(Path file) { this.file = file; }

    @Override
    public void routes(Routes routes) {
        routes.add(Method.GET, "/audit", call -> {
            call.mayRead("audit");
            String subject = call.query("subject").orElse(null);
            String reason = call.query("reason").orElse(null);
            String form = """
                    <form class="card" method="get" action="/console/audit"><h2>Filter</h2>%s%s<button type="submit">Show</button></form>"""
                    .formatted(Html.field("subject", "Subject (a user, client or identity name or id)", subject, false),
                            Html.field("reason", "Reason (such as client.secret_mismatch, or its family: client)", reason, false));
            call.page("Audit log", "<h1>Audit log</h1>" + form + table(new AuditReader.Filter(subject, null, null, null, reason, null, null), PAGE));
        });
    }

    /** The newest {@code count} events matching {@code filter}, as a table. */
    String table(AuditReader.Filter filter, int count) {
        if (file == null) return "<p>The audit log is not written to a file here (audit-log), so there is nothing to show.</p>";
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode e : new AuditReader(file, filter).newest(0, count).lines()) {
            String what = text(e, "action").isEmpty() ? text(e, "grant") : text(e, "action") + " " + text(e, "target");
            rows.add(List.of(esc(text(e, "time")), esc(text(e, "event")), esc(text(e, "dialect")), esc(text(e, "subject")),
                    esc(text(e, "client_id")), esc(what), esc(scope(e)), esc(text(e, "reason")), esc(text(e, "detail"))));
        }
        return Html.table("Newest first", List.of("Time", "Event", "Dialect", "Subject", "Client", "What", "Scope", "Reason", "Detail"), rows);
    }

    private static String scope(JsonNode e) {
        JsonNode scope = e.get("scope");
        if (scope == null || !scope.isArray()) return "";
        List<String> out = new ArrayList<>();
        scope.forEach(s -> out.add(s.asText()));
        return String.join(" ", out);
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
