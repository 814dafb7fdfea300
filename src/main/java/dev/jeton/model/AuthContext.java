package dev.jeton.model;

import java.time.Instant;
import java.util.List;

/**
 * How and when the user authenticated, for an ID token (OIDC Core 2): {@code auth_time},
 * {@code acr}, {@code amr} and the login session's {@code sid}. {@code acr} and {@code sid} may
 * be null (then left out); a login session supplies them.
 */
public record AuthContext(Instant authTime, String acr, List<String> amr, String sid) {
    public AuthContext {
        amr = amr == null ? List.of() : List.copyOf(amr);
    }

    /** A password typed at the login page at {@code authTime}, with no session behind it. */
    public static AuthContext passwordLogin(Instant authTime) {
        return new AuthContext(authTime, null, List.of("pwd"), null);
    }
}
