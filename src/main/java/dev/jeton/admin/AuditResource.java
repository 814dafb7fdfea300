package dev.jeton.admin;

import dev.jeton.audit.AuditReader;
import dev.jeton.model.Failure;

import java.nio.file.Path;

/**
 * Audit search: the audit file and its rotated predecessors, newest first, filtered by subject
 * (who acted or was acted for, including an admin change's actor), event, reason, client,
 * dialect and time range. Events are shown as written (the same JSON as the file's lines).
 */
public final class AuditResource implements AdminResource {
    /** How far back paging may go in one search: the file is read from its start each time. */
    private static final int MAX_DEPTH = 100_000;

    private final Path file;

    /** @param file the audit file, or null when audit-log is not a file (nothing to search) */
    public AuditResource(Path file) { this.file = file; }

    @Override
    public String kind() { return "audit"; }

    @Override
    public void routes(AdminRoutes routes) {
        routes.read("", call -> {
            if (file == null) throw Failure.notFound("audit-log is not a file here: there is no audit file to search");
            AuditReader.Filter filter = new AuditReader.Filter(call.query("subject").orElse(null), call.query("client_id").orElse(null),
                    call.query("event").orElse(null), call.query("dialect").orElse(null), call.query("reason").orElse(null),
                    Fields.instant("since", call.query("since").orElse(null)), Fields.instant("until", call.query("until").orElse(null)));
            int limit = Page.limit(call.query("limit").orElse(null));
            int skip = call.query("cursor").map(AuditResource::skip).orElse(0);
            if (skip + limit > MAX_DEPTH) {
                throw Failure.invalidRequest("cursor", "narrow the search (since, until): it pages back at most " + MAX_DEPTH + " events");
            }
            AuditReader.Newest page = new AuditReader(file, filter).newest(skip, limit);
            call.pageOf(page.lines(), page.more() ? Page.encode("skip:" + (skip + limit)) : null);
        });
    }

    private static int skip(String cursor) {
        String text = Page.decode(cursor);
        try {
            if (text.startsWith("skip:")) {
                int n = Integer.parseInt(text.substring(5));
                if (n >= 0) return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Failure.invalidRequest("cursor", "cursor is not one this API gave out");
    }
}
