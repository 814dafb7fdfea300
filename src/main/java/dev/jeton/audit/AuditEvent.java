package dev.jeton.audit;

import dev.jeton.model.Origin;
import dev.jeton.model.ScopeLimit;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * One line of the audit log: who got (or was refused) what, when, from where, and why. It
 * holds references to what the engine already built (no copies, no formatting): the writer
 * thread turns it into JSON, so building one costs a single allocation on the token path.
 * No field may ever hold a secret, a password, a token or a key; tokens appear by id only.
 *
 * @param subjectKind user, client, api_key, managed_identity, operator or server
 * @param tokenId     the access token's {@code jti}, never the token
 * @param reason      the failed check, for refusals and partial grants ({@code rule.no_match}...)
 * @param action      for admin changes: what changed ({@code user.add}, {@code key.rotate}...)
 * @param target      for admin changes: the name of what changed
 */
public record AuditEvent(
        long epochMillis,
        String event,
        String dialect,
        String grant,
        String subject,
        String subjectId,
        String subjectKind,
        String clientId,
        Collection<String> scope,
        String tokenId,
        String familyId,
        Instant expiresAt,
        Origin origin,
        String reason,
        String detail,
        List<ScopeLimit> limits,
        String action,
        String target) {

    public static final String ISSUED = "issued";
    public static final String REFRESHED = "refreshed";
    public static final String REFUSED = "refused";
    public static final String REVOKED = "revoked";
    public static final String REUSE_DETECTED = "reuse_detected";
    public static final String ADMIN = "admin";

    /** The dialect of changes made by the CLI and by the server itself (automatic key rotation). */
    public static final String CLI = "cli";
    public static final String SERVER = "server";

    /** A request to the admin API refused before any change: no token, an invalid one, or a missing scope. */
    public static AuditEvent adminRefused(long epochMillis, String subject, String reason, String detail, Origin origin) {
        return new AuditEvent(epochMillis, REFUSED, "admin", null, subject, null, subject == null ? null : "admin_api", null, null, null,
                null, null, origin, reason, detail, List.of(), null, null);
    }

    /** An administrative change: {@code action} on {@code target}, by {@code actor} of {@code actorKind}. */
    public static AuditEvent admin(long epochMillis, String dialect, String actor, String actorKind, String action, String target,
                                   String detail) {
        return new AuditEvent(epochMillis, ADMIN, dialect, null, actor, null, actorKind, null, null, null, null, null, Origin.LOCAL,
                null, detail, List.of(), action, target);
    }
}
