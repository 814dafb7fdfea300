package dev.jeton.dialect.imds;

import dev.jeton.model.Failure;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.Origin;
import dev.jeton.model.TokenRequest;

import java.util.function.Predicate;

/**
 * Where the managed-identity endpoints get their tokens: the engine inside {@code jeton serve},
 * or the central servers for the node agent. The endpoints' wire rules stay the same either way.
 */
public interface ManagedIdentitySource {
    /** A token for the request, or a {@link Failure} to answer in the endpoint's shape. */
    IdentityToken token(TokenRequest.ManagedIdentity request, Origin origin);

    /** Records a request refused before it was parsed (proxied, rate-limited), so the refusal has its audited reason. */
    void refused(TokenRequest.ManagedIdentity request, Origin origin, Failure failure);

    /**
     * A token for the request when the identity it resolves to is one {@code allowed} accepts (Arc's
     * and App Service's endpoints may be limited to some of the node's identities); any other is
     * refused as "Identity not found", audited as {@code identity.not_allowed}. This default checks
     * the token it got; a source that resolves identities itself checks before minting.
     */
    default IdentityToken token(TokenRequest.ManagedIdentity request, Origin origin, Predicate<ManagedIdentity> allowed) {
        IdentityToken token = token(request, origin);
        if (allowed.test(token.identity())) return token;
        Failure refusal = Failure.invalidRequest("Identity not found").because("identity.not_allowed");
        refused(request, origin, refusal);
        throw refusal;
    }
}
