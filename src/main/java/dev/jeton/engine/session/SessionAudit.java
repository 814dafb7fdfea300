package dev.jeton.engine.session;

import dev.jeton.audit.AuditEvent;
import dev.jeton.audit.AuditLog;
import dev.jeton.model.Failure;
import dev.jeton.model.Origin;

import java.time.Clock;
import java.util.List;

/** Audit records of login sessions: logouts, and back-channel logout notices a client did not take. */
public final class SessionAudit {
    public static final String LOGOUT = "logout";
    public static final String LOGOUT_NOTICE_FAILED = "logout_notice_failed";

    private final AuditLog log;
    private final Clock clock;

    public SessionAudit(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** @param how what ended it, for the detail: "RP-initiated logout", "a login as another user" */
    public void loggedOut(String userName, String userId, String clientId, String sessionId, Origin origin, String how) {
        log.record(new AuditEvent(clock.millis(), LOGOUT, "oauth2", null, userName, userId, "user", clientId, null, sessionId, null, null,
                origin, null, "session " + sessionId + " ended by " + how, List.of(), null, null));
    }

    public void logoutRefused(String clientId, Origin origin, Failure failure) {
        log.record(new AuditEvent(clock.millis(), AuditEvent.REFUSED, "oauth2", "logout", clientId, null, "client", clientId, null, null, null,
                null, origin, failure.check(), failure.detail(), List.of(), null, null));
    }

    /** Not fatal: the session has ended here; the client keeps its own session until it expires. */
    public void noticeFailed(String clientId, String sessionId, String check, String detail) {
        log.record(new AuditEvent(clock.millis(), LOGOUT_NOTICE_FAILED, "oauth2", null, clientId, null, "client", clientId, null, sessionId,
                null, null, Origin.LOCAL, check, detail, List.of(), null, null));
    }
}
