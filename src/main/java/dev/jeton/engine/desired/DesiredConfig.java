package dev.jeton.engine.desired;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * The configuration as {@code jeton export} writes it and {@code jeton apply} reads it. It never
 * holds a secret or a hash: a new user's password ({@code passwordEnv}, {@code passwordFile}) and a
 * client's secret ({@code secretEnv}, {@code secretFile}) are referenced and read only by apply. A field left out (null) is left as it is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"users", "apiKeys", "nodes", "upstreams", "clients", "identities", "trustPolicies", "rules"})
public record DesiredConfig(List<UserEntry> users, List<ApiKeyEntry> apiKeys, List<NodeEntry> nodes, List<UpstreamEntry> upstreams,
                            List<ClientEntry> clients, List<IdentityEntry> identities, List<TrustEntry> trustPolicies, List<RuleEntry> rules) {
    public DesiredConfig {
        users = users == null ? List.of() : List.copyOf(users);
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
        clients = clients == null ? List.of() : List.copyOf(clients);
        identities = identities == null ? List.of() : List.copyOf(identities);
        trustPolicies = trustPolicies == null ? List.of() : List.copyOf(trustPolicies);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "groups", "disabled", "displayName", "givenName", "familyName", "email", "emailVerified"})
    public record UserEntry(String name, List<String> groups, Boolean disabled, String displayName, String givenName,
                            String familyName, String email, Boolean emailVerified, String passwordEnv, String passwordFile) {
    }

    /**
     * An API key, known by its owner and its name (a key made without a name is exported under its
     * id). Its value is never exported: apply sets it from {@code secretEnv}/{@code secretFile}, or
     * generates one and prints it once. {@code expiresAt} is an ISO-8601 instant.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"user", "name", "scopes", "expiresAt", "secretEnv", "secretFile"})
    public record ApiKeyEntry(String user, String name, List<String> scopes, String expiresAt, String secretEnv, String secretFile) {
    }

    /** A node an agent runs on; apply prints the enrolment token of one it creates, once. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "disabled"})
    public record NodeEntry(String name, Boolean disabled) {
    }

    /** An upstream OpenID Connect provider; its client secret is a reference, needed when apply creates or replaces it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "issuer", "clientId", "userClaim", "groupsClaim", "allowedDomains", "scope", "clientSecretEnv",
            "clientSecretFile"})
    public record UpstreamEntry(String name, String issuer, String clientId, String userClaim, String groupsClaim, List<String> allowedDomains,
                                String scope, String clientSecretEnv, String clientSecretFile) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"clientId", "public", "grants", "scopes", "audiences", "redirectUris", "accessTokenTtl", "refreshTokenTtl",
            "refreshPolicy", "idTokenAlg", "authMethod", "jwks", "jwksUri", "firstParty", "postLogoutRedirectUris", "backchannelLogoutUri",
            "secretEnv", "secretFile"})
    public record ClientEntry(String clientId, @JsonProperty("public") Boolean publicClient, List<String> grants, List<String> scopes,
                              List<String> audiences, List<String> redirectUris, String accessTokenTtl, String refreshTokenTtl,
                              String refreshPolicy, String idTokenAlg, String authMethod, String jwks, String jwksUri,
                              Boolean firstParty, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
                              String secretEnv, String secretFile) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "tenantId", "resourceId", "systemNode", "nodes"})
    public record IdentityEntry(String name, String tenantId, String resourceId, String systemNode, List<String> nodes) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "issuer", "audience", "subject", "claims", "as", "maxTtl", "jwksFile"})
    public record TrustEntry(String name, String issuer, String audience, String subject, Map<String, String> claims, String as,
                             String maxTtl, String jwksFile) {
    }

    /** A rule is known by its subject and repository pattern; its actions are what may change. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"subject", "repository", "actions"})
    public record RuleEntry(String subject, String repository, List<String> actions) {
    }
}
