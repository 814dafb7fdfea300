package dev.jeton.engine;

import dev.jeton.engine.device.DeviceCodeGrant;
import dev.jeton.engine.grant.ApiKeyGrant;
import dev.jeton.engine.grant.AuthorizationCodeGrant;
import dev.jeton.engine.grant.ClientCredentialsGrant;
import dev.jeton.engine.federation.TokenExchangeGrant;
import dev.jeton.engine.federation.WorkloadAssertionGrant;
import dev.jeton.engine.grant.ExternalTokenGrant;
import dev.jeton.engine.grant.PasswordGrant;
import dev.jeton.engine.grant.RefreshGrant;
import dev.jeton.engine.imds.ImdsGrant;
import dev.jeton.engine.registry.RegistryExchangeGrant;
import dev.jeton.engine.registry.RegistryGrant;
import dev.jeton.keys.KeyRing;
import dev.jeton.model.Client;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.model.Origin;
import dev.jeton.model.IdentityToken;
import dev.jeton.model.Issued;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.TokenInfo;
import dev.jeton.model.TokenRequest;
import dev.jeton.model.UserInfo;

import java.util.function.Predicate;

/**
 * The one entry point dialects call. It decides who gets what; it knows nothing of HTTP or of
 * any wire format.
 */
public final class Engine {
    private final ClientAuthenticator clients;
    private final ClientCredentialsGrant clientCredentials;
    private final PasswordGrant password;
    private final RefreshGrant refresh;
    private final ApiKeyGrant apiKey;
    private final RegistryGrant registry;
    private final RegistryExchangeGrant registryExchange;
    private final ImdsGrant imds;
    private final AuthorizationCodeGrant authorizationCode;
    private final ExternalTokenGrant externalToken;
    private final TokenExchangeGrant tokenExchange;
    private final WorkloadAssertionGrant workloadAssertion;
    private final DeviceCodeGrant deviceCode;
    private final IdTokens idTokens;
    private final Introspection introspection;
    private final Revocation revocation;
    private final UserInfoLookup userInfo;
    private final KeyRing keys;
    private final TokenAudit audit;

    public Engine(TokenGrants grants, TokenServices services, TokenAudit audit) {
        this.clientCredentials = grants.clientCredentials();
        this.password = grants.password();
        this.refresh = grants.refresh();
        this.apiKey = grants.apiKey();
        this.registry = grants.registry();
        this.registryExchange = grants.registryExchange();
        this.imds = grants.imds();
        this.authorizationCode = grants.authorizationCode();
        this.externalToken = grants.externalToken();
        this.tokenExchange = grants.tokenExchange();
        this.workloadAssertion = grants.workloadAssertion();
        this.deviceCode = grants.deviceCode();
        this.clients = services.clients();
        this.idTokens = services.idTokens();
        this.introspection = services.introspection();
        this.revocation = services.revocation();
        this.userInfo = services.userInfo();
        this.keys = services.keys();
        this.audit = audit;
    }

    /** The grant for each kind of token request: {@link #issue} has one switch arm per kind, one field here per arm. */
    public record TokenGrants(ClientCredentialsGrant clientCredentials, PasswordGrant password, RefreshGrant refresh, ApiKeyGrant apiKey,
                              AuthorizationCodeGrant authorizationCode, ExternalTokenGrant externalToken, RegistryGrant registry,
                              RegistryExchangeGrant registryExchange, ImdsGrant imds, TokenExchangeGrant tokenExchange,
                              WorkloadAssertionGrant workloadAssertion, DeviceCodeGrant deviceCode) {
    }

    /**
     * What the engine answers besides tokens: who a calling client is (introspection and
     * revocation), what an issued token says, ID tokens, and the published keys.
     */
    public record TokenServices(ClientAuthenticator clients, Introspection introspection, Revocation revocation, UserInfoLookup userInfo,
                                IdTokens idTokens, KeyRing keys) {
    }

    /** A token for {@code request}, or a Failure; either way one audit event records the outcome and {@code origin}. */
    public Issued issue(TokenRequest request, Origin origin) {
        Issued issued;
        try {
            issued = grant(request);
        } catch (Failure f) {
            audit.refused(request, origin, f);
            throw f;
        }
        audit.issued(request, origin, issued);
        return issued;
    }

    /** For callers that are not on the wire (engine tests): recorded with no origin. */
    public Issued issue(TokenRequest request) {
        return issue(request, Origin.LOCAL);
    }

    private Issued grant(TokenRequest request) {
        return switch (request) {
            case TokenRequest.ClientCredentials c -> clientCredentials.issue(c);
            case TokenRequest.Password p -> password.issue(p);
            case TokenRequest.Refresh r -> refresh.issue(r);
            case TokenRequest.ApiKey k -> apiKey.issue(k);
            case TokenRequest.RegistryAccess r -> registry.issue(r);
            case TokenRequest.RegistryExchange x -> registryExchange.issue(x);
            case TokenRequest.ManagedIdentity m -> imds.issue(m).issued();
            case TokenRequest.AuthorizationCode a -> authorizationCode.issue(a);
            case TokenRequest.ExternalToken e -> externalToken.issue(e);
            case TokenRequest.TokenExchange x -> tokenExchange.issue(x);
            case TokenRequest.WorkloadAssertion w -> workloadAssertion.issue(w);
            case TokenRequest.DeviceCode d -> deviceCode.issue(d);
        };
    }

    /** An OIDC ID token for the subject of {@code issued}, for dialects that always return one. */
    public String idToken(Issued issued) {
        return issued.idToken() != null ? issued.idToken() : idTokens.mint(issued, null, null);
    }

    /** A managed identity token with the identity it names, which the IMDS wire format echoes. */
    public IdentityToken identityToken(TokenRequest.ManagedIdentity request, Origin origin) {
        return identityToken(request, origin, identity -> true);
    }

    /**
     * As {@link #identityToken(TokenRequest.ManagedIdentity, Origin)}, for an endpoint that may
     * hand out only some of the node's identities (Arc's, App Service's): another one is refused
     * before anything is minted, as "Identity not found".
     */
    public IdentityToken identityToken(TokenRequest.ManagedIdentity request, Origin origin, Predicate<ManagedIdentity> allowed) {
        IdentityToken token;
        try {
            token = imds.issue(request, allowed);
        } catch (Failure f) {
            audit.refused(request, origin, f);
            throw f;
        }
        audit.issued(request, origin, token.issued());
        return token;
    }

    /**
     * Records a token request that a dialect refused before it reached the engine, when the
     * refusal is one an operator must see (a proxied IMDS request, a rate limit).
     */
    public void refusedAtEdge(TokenRequest request, Origin origin, Failure failure) {
        audit.refused(request, origin, failure);
    }

    /** Introspection for {@code dialect}, with a caller that fails to authenticate audited. */
    public TokenInfo introspect(String dialect, ClientAuth caller, String token, Origin origin) {
        Client client;
        try {
            client = clients.authenticate(caller);
        } catch (Failure f) {
            audit.refusedClient(dialect, "introspect", caller, origin, f);
            throw f;
        }
        return describe(client, token);
    }

    public TokenInfo introspect(ClientAuth caller, String token) {
        return describe(clients.authenticate(caller), token);
    }

    private TokenInfo describe(Client client, String token) {
        // RFC 7662 4: only callers that can prove who they are may learn about tokens.
        if (client.isPublic()) throw Failure.unauthorizedClient("public clients may not introspect tokens");
        return introspection.describe(client, token);
    }

    /** RFC 7009 for {@code dialect}: audited when something was revoked or the caller was refused. */
    public void revoke(String dialect, ClientAuth caller, String token, Origin origin) {
        try {
            Client client = clients.authenticate(caller);
            revocation.revokeFor(client, token).ifPresent(what -> audit.revoked(dialect, origin, what, client.clientId(), "client"));
        } catch (Failure f) {
            audit.refusedRevocation(dialect, caller, origin, f);
            throw f;
        }
    }

    public UserInfo userInfo(String accessToken) {
        return userInfo.forBearer(accessToken);
    }

    /** The JWKS document of every published key, prebuilt: serving it costs nothing. */
    public String publishedKeys() {
        return keys.jwksJson();
    }
}
