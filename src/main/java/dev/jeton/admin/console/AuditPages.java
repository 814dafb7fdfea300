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
    private static final String NO_FILE = "<p>The audit log is not written to a file here (audit-log), so there is nothing to show.</p>";
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
        if (file == null) return NO_FILE;
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode e : new AuditReader(file, filter).newest(0, count).lines()) {
            String what = text(e, "action").isEmpty() ? text(e, "grant") : text(e, "action") + " " + text(e, "target");
            rows.add(List.of(esc(text(e, "time")), esc(text(e, "event")), esc(text(e, "dialect")), esc(text(e, "subject")),
                    esc(text(e, "client_id")), esc(what), esc(scope(e)), esc(text(e, "reason")), esc(text(e, "detail"))));
        }
        return Html.table("Newest first", List.of("Time", "Event", "Dialect", "Subject", "Client", "What", "Scope", "Reason", "Detail"), rows);
    }

    /**
     * The newest tokens issued (events {@code issued} matching {@code filter}); a token with a
     * refresh family gets a button that revokes the family, for a user who may change tokens.
     */
    String tokens(AuditReader.Filter filter, int count, ConsoleCall call) {
        if (file == null) return NO_FILE;
        boolean revoke = call.mayChange(TokenPages.KIND);
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode e : new AuditReader(file, filter).newest(0, count).lines()) {
            String family = text(e, "family_id");
            String action = !revoke || family.isEmpty() ? "" : """
                    <form class="inline" method="post" action="/console/tokens/families/%s/revoke">%s\
                    <button type="submit" aria-label="Revoke family %s">Revoke family</button></form>"""
                    .formatted(Html.seg(family), Html.csrf(call.session()), esc(family));
            rows.add(List.of(esc(text(e, "time")), esc(text(e, "dialect")), esc(text(e, "subject")), esc(text(e, "client_id")),
                    esc(text(e, "grant")), esc(scope(e)), esc(text(e, "expires_at")), esc(text(e, "token_id")), esc(family), action));
        }
        return Html.table("Newest first; an access token ends at its expiry, a refresh family when revoked",
                List.of("Time", "Dialect", "Subject", "Client", "Grant", "Scope", "Expires", "Token id", "Refresh family", "Actions"), rows);
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
