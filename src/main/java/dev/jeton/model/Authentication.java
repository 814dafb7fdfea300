package dev.jeton.model;

import java.time.Instant;
import java.util.List;

/**
 * How and when the user behind a code authenticated (OIDC Core 2): the ID token's
 * {@code auth_time}, {@code acr}, {@code amr} and {@code sid}. {@code sid} is null when no
 * login session backs the code.
 */
public record Authentication(Instant authTime, String acr, List<String> amr, String sid) {
    public Authentication {
        amr = amr == null ? List.of() : List.copyOf(amr);
    }
}
