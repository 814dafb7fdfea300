package dev.jeton.engine;

import dev.jeton.model.Client;
import dev.jeton.engine.clientauth.ClientAssertions;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.TokenAuthMethod;
import dev.jeton.model.Failure;
import dev.jeton.secrets.SecretHash;

import java.util.Optional;

/**
 * Checks a client's id and secret, or its client assertion ({@code private_key_jwt}). Unknown ids
 * cost the same hash as known ones. A client registered for {@code private_key_jwt} may not use
 * its secret instead: the registered {@code token_endpoint_auth_method} is the only one accepted.
 */
public final class ClientAuthenticator {
    private static final System.Logger LOG = System.getLogger(ClientAuthenticator.class.getName());
    private static final byte[] NO_CLIENT = new byte[32];

    private final ClientDirectory clients;
    private final ClientAssertions assertions;

    public ClientAuthenticator(ClientDirectory clients) { this(clients, null); }

    /** @param assertions null when client assertions are not accepted */
    public ClientAuthenticator(ClientDirectory clients, ClientAssertions assertions) {
        this.clients = clients;
        this.assertions = assertions;
    }

    public Client authenticate(ClientAuth auth) {
        if (auth != null && auth.method() == ClientAuth.Method.JWT) {
            if (assertions == null) throw Failure.invalidClient("client assertions are not accepted here").because("client_assertion.method");
            return assertions.authenticate(auth.clientId(), auth.secret().value());
        }
        if (auth == null || auth.clientId() == null || auth.clientId().isEmpty()) {
            throw Failure.invalidClient("client authentication is required").because("client.missing");
        }
        Optional<Client> found = clients.byClientId(auth.clientId());
        boolean secretGiven = auth.secret() != null && !auth.secret().isEmpty();
        if (!secretGiven) return publicClient(auth.clientId(), found);
        boolean secretMatches = SecretHash.matches(auth.secret(), found.map(Client::secretHash).orElse(NO_CLIENT))
                || found.isPresent() && matchesPreviousSecret(auth);
        if (found.isEmpty() || !secretMatches) {
            LOG.log(System.Logger.Level.INFO, "client authentication failed for client_id {0} ({1})",
                    auth.clientId(), found.isEmpty() ? "unknown client" : "wrong secret");
            throw Failure.invalidClient("client authentication failed").because(found.isEmpty() ? "client.unknown" : "client.secret_mismatch");
        }
        if (found.get().disabled()) {
            LOG.log(System.Logger.Level.INFO, "disabled client {0} tried to authenticate", auth.clientId());
            throw Failure.invalidClient("client authentication failed").because("client.disabled");
        }
        checkRegisteredMethod(auth);
        return found.get();
    }

    /** OIDC Core 9: a client that registered a method uses that one (Basic and form are one family: secrets). */
    private void checkRegisteredMethod(ClientAuth auth) {
        TokenAuthMethod registered = clients.oidcSettings(auth.clientId()).map(ClientOidcSettings::authMethod).orElse(null);
        boolean allowed = registered == null
                || registered == TokenAuthMethod.CLIENT_SECRET_BASIC && auth.method() == ClientAuth.Method.BASIC
                || registered == TokenAuthMethod.CLIENT_SECRET_POST && auth.method() == ClientAuth.Method.POST;
        if (!allowed) {
            LOG.log(System.Logger.Level.INFO, "client {0} used {1} but registered {2}", auth.clientId(), auth.method(), registered.wireName());
            throw Failure.invalidClient("this client must authenticate with " + registered.wireName()).because("client.auth_method");
        }
    }

    /** Inside a rotation's overlap window the replaced secret still works (client rotate-secret --overlap). */
    private boolean matchesPreviousSecret(ClientAuth auth) {
        return clients.previousSecretHash(auth.clientId()).map(hash -> SecretHash.matches(auth.secret(), hash)).orElse(false);
    }

    /**
     * A client named without a secret: only a public one may be (RFC 6749 2.1). A client id is
     * not a secret, so saying that none is registered under it tells the caller what to fix.
     */
    private static Client publicClient(String clientId, Optional<Client> found) {
        if (found.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "unknown client_id {0} named without a secret", clientId);
            throw Failure.invalidClient("unknown client").because("client.unknown");
        }
        Client client = found.get();
        if (client.disabled()) {
            LOG.log(System.Logger.Level.INFO, "disabled client {0} tried to authenticate", clientId);
            throw Failure.invalidClient("client authentication failed").because("client.disabled");
        }
        if (!client.isPublic()) {
            throw Failure.invalidClient("this client is confidential: its secret is required").because("client.secret_missing");
        }
        return client;
    }
}
