package dev.jeton.audit;

import java.time.Clock;

/**
 * Records administrative changes (users, clients, rules, keys, identities, API keys, revocations)
 * on behalf of one actor: the operator running a CLI command, or the server itself when it
 * rotates keys on schedule or provisions a federated user.
 */
public final class AdminAudit {
    private final AuditLog log;
    private final Clock clock;
    private final String dialect;
    private final String actor;
    private final String actorKind;

    public AdminAudit(AuditLog log, Clock clock, String dialect, String actor, String actorKind) {
        this.log = log;
        this.clock = clock;
        this.dialect = dialect;
        this.actor = actor;
        this.actorKind = actorKind;
    }

    /** The operator at the terminal: the CLI runs as a local OS user, who is the one named. */
    public static AdminAudit operator(AuditLog log, Clock clock) {
        return new AdminAudit(log, clock, AuditEvent.CLI, System.getProperty("user.name", "unknown"), "operator");
    }

    /** Changes a running server makes on its own. */
    public static AdminAudit server(AuditLog log, Clock clock) {
        return new AdminAudit(log, clock, AuditEvent.SERVER, "jeton", "server");
    }

    /** Changes made through the admin API, by the subject of the access token that asked ({@code dialect} admin). */
    public static AdminAudit apiCaller(AuditLog log, Clock clock, String subject) {
        return new AdminAudit(log, clock, ADMIN_API, subject, "admin_api");
    }

    /** The dialect of changes made through the admin API. */
    public static final String ADMIN_API = "admin";

    /** {@code action} (e.g. {@code client.rotate_secret}) on {@code target}; {@code detail} must hold no secret. */
    public void changed(String action, String target, String detail) {
        log.record(AuditEvent.admin(clock.millis(), dialect, actor, actorKind, action, target, detail));
    }

    public void changed(String action, String target) {
        changed(action, target, null);
    }

    /** Who makes the changes: the OS user of the CLI, or {@code jeton} for the server itself. */
    public String actor() { return actor; }

    /** {@code operator}, {@code server} or {@code admin_api}. */
    public String actorKind() { return actorKind; }

    /** Where the change came from: {@code cli}, {@code server} or {@code admin}. */
    public String dialect() { return dialect; }
}
