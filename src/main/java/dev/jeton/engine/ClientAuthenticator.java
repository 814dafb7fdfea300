package dev.jeton.engine;

import dev.jeton.model.Client;
import dev.jeton.model.ClientAuth;
import dev.jeton.model.Failure;
import dev.jeton.secrets.SecretHash;

import java.util.Optional;

/** Checks a client's id and secret. Unknown ids cost the same hash as known ones. */
public final class ClientAuthenticator {
    private static final System.Logger LOG = System.getLogger(ClientAuthenticator.class.getName());
    private static final byte[] NO_CLIENT = new byte[32];

    private final ClientDirectory clients;

    public ClientAuthenticator(ClientDirectory clients) { this.clients = clients; }

    public Client authenticate(ClientAuth auth) {
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
        return found.get();
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
