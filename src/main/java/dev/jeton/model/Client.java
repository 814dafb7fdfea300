package dev.jeton.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An application. {@code secretHash} is the SHA-256 of its secret, null for a public client;
 * lifetimes of null mean "the configured default".
 */
public record Client(
        String id,
        String clientId,
        byte[] secretHash,
        Set<GrantType> grantTypes,
        Set<String> scopes,
        List<String> audiences,
        List<String> redirectUris,
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        RefreshPolicy refreshPolicy,
        boolean disabled,
        Instant createdAt) {

    public Client {
        grantTypes = Set.copyOf(grantTypes);
        scopes = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(scopes));
        audiences = List.copyOf(audiences);
        redirectUris = List.copyOf(redirectUris);
    }

    public boolean allows(GrantType grant) { return grantTypes.contains(grant); }

    /** A public client (RFC 6749 2.1) has no secret: it identifies itself but cannot authenticate. */
    public boolean isPublic() { return secretHash == null; }

    /** A client speaks for itself: its {@code sub} is its client id, as in most OAuth servers. */
    public Subject subject() { return new Subject(SubjectKind.CLIENT, clientId, clientId); }
}
