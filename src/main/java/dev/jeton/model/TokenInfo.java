package dev.jeton.model;

import java.time.Instant;
import java.util.List;

/**
 * What introspection may say about a token (RFC 7662 section 2.2). An inactive token says
 * nothing else, so every other field is null then.
 */
public record TokenInfo(
        boolean active,
        String tokenType,
        String scope,
        String clientId,
        String username,
        String subject,
        List<String> audience,
        String issuer,
        Instant expiresAt,
        Instant issuedAt,
        Instant notBefore,
        String jti) {

    public static final TokenInfo INACTIVE = new TokenInfo(false, null, null, null, null, null, null, null, null, null, null, null);
}
