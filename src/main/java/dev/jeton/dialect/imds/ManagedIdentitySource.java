package dev.jeton.dialect.imds;

import dev.jeton.model.Failure;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.Origin;
import dev.jeton.model.TokenRequest;

/**
 * Where the managed-identity endpoints get their tokens: the engine inside {@code jeton serve},
 * or the central servers for the node agent. The endpoints' wire rules stay the same either way.
 */
public interface ManagedIdentitySource {
    /** A token for the request, or a {@link Failure} to answer in the endpoint's shape. */
    IdentityToken token(TokenRequest.ManagedIdentity request, Origin origin);

    /** Records a request refused before it was parsed (proxied, rate-limited), so the refusal has its audited reason. */
    void refused(TokenRequest.ManagedIdentity request, Origin origin, Failure failure);
}
