package dev.jeton.admin;

import dev.jeton.model.Failure;
import dev.jeton.model.Reason;

import java.util.Set;

/**
 * Who called the admin API: the subject of a verified access token and its scopes. Scopes:
 * {@code jeton:admin} allows everything, {@code jeton:admin:read} every read,
 * {@code jeton:admin:KIND} everything on one kind of resource, {@code jeton:admin:KIND:read}
 * reading it.
 */
public record Caller(String subject, Set<String> scopes) {
    public static final String ADMIN = "jeton:admin";
    public static final String READ = "jeton:admin:read";

    /** INSUFFICIENT_SCOPE unless a scope allows reading {@code kind}; its param names the narrowest scope that would. */
    public void mayRead(String kind) {
        if (scopes.contains(ADMIN) || scopes.contains(READ) || scopes.contains(ADMIN + ":" + kind) || scopes.contains(ADMIN + ":" + kind + ":read")) {
            return;
        }
        throw Failure.of(Reason.INSUFFICIENT_SCOPE, ADMIN + ":" + kind + ":read",
                "reading " + kind + " needs scope " + ADMIN + ":" + kind + ":read, " + READ + " or " + ADMIN);
    }

    public void mayChange(String kind) {
        if (scopes.contains(ADMIN) || scopes.contains(ADMIN + ":" + kind)) return;
        throw Failure.of(Reason.INSUFFICIENT_SCOPE, ADMIN + ":" + kind, "changing " + kind + " needs scope " + ADMIN + ":" + kind + " or " + ADMIN);
    }
}
