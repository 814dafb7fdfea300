package dev.jeton.model;

/**
 * A client's OpenID Connect registration: the algorithm of its ID tokens (null: RS256, OIDC
 * Core 15.1), its token endpoint authentication method (null: by secret, Basic or form), and
 * for {@code private_key_jwt} its public keys, as a JWKS document or a URL to fetch one from.
 */
public record ClientOidcSettings(String idTokenAlg, TokenAuthMethod authMethod, String jwks, String jwksUri) {
    public static final ClientOidcSettings DEFAULT = new ClientOidcSettings(null, null, null, null);

    public String idTokenAlgOrDefault() { return idTokenAlg == null ? "RS256" : idTokenAlg; }

    /** This registration with every non-null field of {@code change} applied. */
    public ClientOidcSettings merge(ClientOidcSettings change) {
        return new ClientOidcSettings(change.idTokenAlg != null ? change.idTokenAlg : idTokenAlg,
                change.authMethod != null ? change.authMethod : authMethod,
                change.jwks != null ? change.jwks : change.jwksUri != null ? null : jwks,
                change.jwksUri != null ? change.jwksUri : change.jwks != null ? null : jwksUri);
    }
}
