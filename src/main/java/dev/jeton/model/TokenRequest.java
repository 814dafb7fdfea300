package dev.jeton.model;

import java.util.Set;

/**
 * Everything a dialect can ask the engine for, parsed out of its wire format. A new grant is
 * one record here, one grant class, and one arm in {@code Engine.issue}: the compiler finds a
 * missing arm. A {@code scope} of null means "none asked for", so defaults apply.
 * {@code dialect} names the API the request came in on, for refresh families and metrics.
 */
public sealed interface TokenRequest {
    String dialect();

    ClientAuth client();

    /** The grant's RFC name, for metrics and logs. */
    String grant();

    record ClientCredentials(String dialect, ClientAuth client, Set<String> scope, String audience) implements TokenRequest {
        public String grant() { return "client_credentials"; }
    }

    /** {@code source} is the caller's address, for throttling failed logins per address. */
    record Password(String dialect, ClientAuth client, String username, Secret password, Set<String> scope, String audience,
                    String source) implements TokenRequest {
        public String grant() { return "password"; }
    }

    record Refresh(String dialect, ClientAuth client, Secret refreshToken, Set<String> scope) implements TokenRequest {
        public String grant() { return "refresh_token"; }
    }

    /** An API key exchanged for an access token of its owner, through the dialect's (public) client. */
    record ApiKey(String dialect, ClientAuth client, Secret key) implements TokenRequest {
        public String grant() { return "api_key"; }
    }

    /**
     * Docker/ACR token auth: Basic credentials as sent (both null for anonymous), the registry's
     * {@code service}, the parsed scopes, whether a refresh token is wanted, and the caller's address (login throttling).
     */
    record RegistryAccess(String dialect, ClientAuth client, String username, Secret password, String service,
                          java.util.List<AccessScope> scopes, boolean offline, String source) implements TokenRequest {
        public String grant() { return username == null ? "anonymous" : "registry_login"; }
    }

    /** ACR's exchange of an upstream token (or a registry refresh token) for a registry refresh token. */
    record RegistryExchange(String dialect, ClientAuth client, String grantType, String service, String tenant, Secret accessToken,
                            Secret refreshToken) implements TokenRequest {
        public String grant() { return "exchange_" + grantType; }
    }

    /**
     * A managed identity token for a workload of {@code node}: {@code selector} names the
     * identity (or is NONE for the node's default), {@code resource} becomes the audience;
     * {@code refreshIfSha256} is the hex SHA-256 of a token to mint anew rather than serve again
     * from cache (or null).
     */
    record ManagedIdentity(String dialect, ClientAuth client, String node, IdentitySelector selector, String resource,
                           boolean bypassCache, String refreshIfSha256) implements TokenRequest {
        public String grant() { return "managed_identity"; }
    }

    /** How an IMDS request names its identity. */
    record IdentitySelector(Kind kind, String value) {
        public enum Kind { NONE, CLIENT_ID, OBJECT_ID, RESOURCE_ID }

        public static final IdentitySelector NONE = new IdentitySelector(Kind.NONE, null);
    }

    /** RFC 6749 4.1.3 with PKCE: a code from the login page for tokens. */
    record AuthorizationCode(String dialect, ClientAuth client, Secret code, String redirectUri, String codeVerifier)
            implements TokenRequest {
        public String grant() { return "authorization_code"; }
    }

    /** A token of a trusted upstream issuer for Jeton tokens of the user it maps to. */
    record ExternalToken(String dialect, ClientAuth client, Secret externalToken) implements TokenRequest {
        public String grant() { return "external_token_exchange"; }
    }

    /**
     * RFC 8693 token exchange: a platform's token for a workload (or one of Jeton's own) becomes a
     * Jeton token for the principal a trust policy maps it to. The client is optional (its
     * {@code clientId} null): the subject token is the workload's credential.
     */
    record TokenExchange(String dialect, ClientAuth client, Secret subjectToken, String subjectTokenType, String requestedTokenType,
                         String audience, String resource, Set<String> scope) implements TokenRequest {
        public String grant() { return "token_exchange"; }
    }

    /**
     * Entra ID's client_credentials with a federated {@code client_assertion} (Azure workload
     * identity): {@code clientId} names the managed identity or app, {@code resource} comes from
     * the {@code RESOURCE/.default} scope.
     */
    record WorkloadAssertion(String dialect, ClientAuth client, String tenant, Secret assertion, String resource)
            implements TokenRequest {
        public String grant() { return "client_assertion"; }
    }

    /** RFC 8628 3.4: a device polls with its device code until the user has approved or denied. */
    record DeviceCode(String dialect, ClientAuth client, Secret deviceCode) implements TokenRequest {
        public String grant() { return "device_code"; }
    }
}
