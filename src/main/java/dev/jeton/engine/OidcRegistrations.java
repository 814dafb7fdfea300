package dev.jeton.engine;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.jeton.engine.clientauth.SealedSecrets;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.Failure;
import dev.jeton.model.TokenAuthMethod;
import dev.jeton.model.UserProfile;
import dev.jeton.store.ClientStore;
import dev.jeton.store.UserStore;

import java.net.URI;
import java.text.ParseException;
import java.util.Set;

/**
 * The OpenID Connect parts of users and clients, as the CLI and admin operations change them:
 * profile claims of a user; a client's ID token algorithm, authentication method and keys.
 */
public final class OidcRegistrations {
    /** Algorithms the key ring always holds an active key for (see KeyRing.lanes). */
    public static final Set<String> ID_TOKEN_ALGORITHMS = Set.of("RS256", "ES256");

    private final UserStore users;
    private final ClientStore clients;
    private final ClientDirectory directory;
    private final SealedSecrets secrets;

    public OidcRegistrations(UserStore users, ClientStore clients, ClientDirectory directory, SealedSecrets secrets) {
        this.users = users;
        this.clients = clients;
        this.directory = directory;
        this.secrets = secrets;
    }

    /** Applies the non-null fields of {@code change} ("" clears one); a new email is unverified unless {@code verified} says so. */
    public UserProfile updateProfile(String userName, UserProfile change, Boolean verified) {
        String id = users.byName(userName).orElseThrow(() -> Failure.notFound("no user named '" + userName + "'")).id();
        if (change.email() != null && !change.email().isEmpty() && !change.email().matches("[^@\\s]+@[^@\\s]+")) {
            throw Failure.invalidRequest("email", "'" + change.email() + "' is not an email address");
        }
        UserProfile next = users.profile(id).merge(change, verified);
        users.setProfile(userName, next);
        return next;
    }

    public UserProfile profile(String userName) {
        return users.profile(users.byName(userName).orElseThrow(() -> Failure.notFound("no user named '" + userName + "'")).id());
    }

    /** Applies the non-null fields of {@code change}, checked: a known algorithm, public keys only, an http(s) JWKS URL. */
    public ClientOidcSettings updateClient(String clientId, ClientOidcSettings change) {
        ClientOidcSettings current = clients.oidcSettings(clientId)
                .orElseThrow(() -> Failure.notFound("no client '" + clientId + "'"));
        if (change.idTokenAlg() != null && !ID_TOKEN_ALGORITHMS.contains(change.idTokenAlg())) {
            throw Failure.invalidRequest("id_token_signed_response_alg", "the ID token algorithm must be RS256 or ES256");
        }
        if (change.jwks() != null) checkJwks(change.jwks());
        if (change.jwksUri() != null) checkJwksUri(change.jwksUri());
        ClientOidcSettings next = current.merge(change);
        if (next.authMethod() == TokenAuthMethod.PRIVATE_KEY_JWT && next.jwks() == null && next.jwksUri() == null) {
            throw Failure.invalidRequest("jwks", "private_key_jwt needs the client's public keys: --jwks-file or --jwks-uri");
        }
        boolean secretJwt = next.authMethod() == TokenAuthMethod.CLIENT_SECRET_JWT;
        if (secretJwt && directory.byClientId(clientId).map(c -> c.isPublic()).orElse(true)) {
            throw Failure.invalidRequest("token_endpoint_auth_method", "client_secret_jwt needs a client with a secret");
        }
        clients.setOidcSettings(clientId, next);
        // The secret is kept (encrypted) only while the client uses it as an HMAC key.
        if (!secretJwt) secrets.forget(clientId);
        directory.invalidate();
        return next;
    }

    /**
     * Keeps a newly issued secret (encrypted) when the client authenticates with
     * client_secret_jwt; true when kept. A secret issued before the client chose that method
     * was never kept: it needs {@code client rotate-secret}.
     */
    public boolean keepSecretIfNeeded(String clientId, dev.jeton.model.Secret secret) {
        if (client(clientId).authMethod() != TokenAuthMethod.CLIENT_SECRET_JWT || secret == null) return false;
        secrets.keep(clientId, secret);
        return true;
    }

    public boolean secretKept(String clientId) { return secrets.has(clientId); }

    public ClientOidcSettings client(String clientId) {
        return clients.oidcSettings(clientId).orElseThrow(() -> Failure.notFound("no client '" + clientId + "'"));
    }

    private static void checkJwks(String json) {
        JWKSet set;
        try {
            set = JWKSet.parse(json);
        } catch (ParseException e) {
            throw Failure.invalidRequest("jwks", "not a JWK set: " + e.getMessage());
        }
        if (set.getKeys().isEmpty()) throw Failure.invalidRequest("jwks", "the JWK set has no keys");
        for (JWK key : set.getKeys()) {
            if (key.isPrivate()) throw Failure.invalidRequest("jwks", "the JWK set holds a private key: register only the public keys");
        }
    }

    private static void checkJwksUri(String uri) {
        try {
            URI parsed = URI.create(uri);
            if (!"https".equals(parsed.getScheme()) && !"http".equals(parsed.getScheme()) || parsed.getHost() == null) {
                throw Failure.invalidRequest("jwks_uri", "the JWKS URL must be http(s)://HOST/...");
            }
        } catch (IllegalArgumentException e) {
            throw Failure.invalidRequest("jwks_uri", "not a URL: " + uri);
        }
    }
}
