package dev.jeton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.Client;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.Failure;
import dev.jeton.model.GrantType;
import dev.jeton.model.RefreshPolicy;
import dev.jeton.model.TokenAuthMethod;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A change to a client, as {@code PATCH /admin/v1/clients/{id}} takes it: the fields present
 * replace the stored ones, the fields absent keep them (what {@code jeton client update} does
 * with the options given). Whether a client is public cannot change.
 */
record ClientPatch(List<String> grantTypes, List<String> scopes, List<String> audiences, List<String> redirectUris,
                   String accessTokenTtl, String refreshTokenTtl, String refreshPolicy, String idTokenSignedResponseAlg,
                   String tokenEndpointAuthMethod, JsonNode jwks, String jwksUri) {

    boolean empty() { return !changesSettings() && !changesOidc(); }

    boolean changesSettings() {
        return grantTypes != null || scopes != null || audiences != null || redirectUris != null || accessTokenTtl != null
                || refreshTokenTtl != null || refreshPolicy != null;
    }

    boolean changesOidc() {
        return idTokenSignedResponseAlg != null || tokenEndpointAuthMethod != null || jwks != null || jwksUri != null;
    }

    /** The stored client with the settings of this patch; a TTL of {@code ""} returns to the server's default. */
    ClientSpec over(Client now) {
        return new ClientSpec(now.clientId(), grantTypes == null ? now.grantTypes() : grants(grantTypes),
                scopes == null ? now.scopes() : new LinkedHashSet<>(scopes), audiences == null ? now.audiences() : audiences,
                redirectUris == null ? now.redirectUris() : redirectUris,
                accessTokenTtl == null ? now.accessTokenTtl() : ttl("access_token_ttl", accessTokenTtl),
                refreshTokenTtl == null ? now.refreshTokenTtl() : ttl("refresh_token_ttl", refreshTokenTtl),
                refreshPolicy == null ? now.refreshPolicy() : policy(refreshPolicy), now.isPublic());
    }

    /** Only the OpenID Connect fields present; the rest stay null, which keeps them. */
    ClientOidcSettings oidc() {
        TokenAuthMethod method = tokenEndpointAuthMethod == null ? null : TokenAuthMethod.fromWire(tokenEndpointAuthMethod)
                .orElseThrow(() -> Failure.invalidRequest("token_endpoint_auth_method", "token_endpoint_auth_method must be "
                        + "client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt or none"));
        if (jwks != null && !jwks.isObject()) throw Failure.invalidRequest("jwks", "jwks must be a JWK set (a JSON object with \"keys\")");
        if (jwks != null && jwksUri != null) throw Failure.invalidRequest("jwks", "give jwks or jwks_uri, not both");
        String alg = idTokenSignedResponseAlg == null ? null : idTokenSignedResponseAlg.trim().toUpperCase(Locale.ROOT);
        return new ClientOidcSettings(alg, method, jwks == null ? null : jwks.toString(), jwksUri);
    }

    static Set<GrantType> grants(List<String> names) {
        if (names.isEmpty()) throw Failure.invalidRequest("grant_types", "grant_types must name at least one grant (or be left out)");
        Set<GrantType> grants = new LinkedHashSet<>();
        for (String g : names) {
            grants.add(GrantType.fromWire(g).orElseThrow(() -> Failure.invalidRequest("grant_types", "unknown grant type '" + g + "'")));
        }
        return grants;
    }

    static RefreshPolicy policy(String text) {
        if (text == null) return RefreshPolicy.ROTATING;
        return switch (text) {
            case "rotating" -> RefreshPolicy.ROTATING;
            case "rotating-lenient" -> RefreshPolicy.ROTATING_LENIENT;
            case "reusable" -> RefreshPolicy.REUSABLE;
            default -> throw Failure.invalidRequest("refresh_policy", "refresh_policy must be rotating, rotating-lenient or reusable");
        };
    }

    private static java.time.Duration ttl(String field, String text) {
        return text.isEmpty() ? null : Fields.duration(field, text);
    }
}
