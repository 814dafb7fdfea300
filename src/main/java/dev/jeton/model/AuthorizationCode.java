package dev.jeton.model;

import java.time.Instant;
import java.util.Set;

/**
 * What a user approved at the login page, bound to one client and redirect URI, and (with
 * PKCE) to the client's code challenge (S256). {@code authContext} says how and when the
 * user logged in (and in which session), for the ID token. {@code familyId} and
 * {@code accessJti} record what the code's first use issued.
 */
public record AuthorizationCode(String clientId, String userId, String redirectUri, boolean redirectUriExplicit, Set<String> scope,
                                String nonce, String codeChallenge, AuthContext authContext, Instant expiresAt, String familyId,
                                String accessJti, Instant accessExpiresAt) {
    public AuthorizationCode {
        scope = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(scope));
    }

    public Instant authTime() { return authContext.authTime(); }
}
