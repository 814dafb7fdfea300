package dev.jeton.model;

import java.time.Instant;
import java.util.List;

/**
 * Another OpenID Connect provider whose users may sign in to Jeton ("Sign in with NAME").
 * {@code sealedSecret} is the client secret Jeton holds there, encrypted with the master key
 * (base64 of AES-GCM, the upstream's id as associated data); it is never stored in the clear.
 * {@code userClaim} names the ID token claim that becomes the Jeton user name (null: the
 * provider's {@code preferred_username}, else {@code email}); {@code groupsClaim} the claim whose
 * values become the user's groups (null: none); {@code allowedDomains} the email domains that may
 * sign in (empty: any); {@code scope} what Jeton asks the provider for.
 */
public record Upstream(String id, String name, String issuer, String clientId, String sealedSecret, String userClaim,
                       String groupsClaim, List<String> allowedDomains, String scope, Instant createdAt) {
    public Upstream {
        allowedDomains = List.copyOf(allowedDomains);
    }
}
