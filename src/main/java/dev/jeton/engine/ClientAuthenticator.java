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
        if (found.isPresent() && found.get().isPublic() && !secretGiven && !found.get().disabled()) {
            return found.get();
        }
        if (!secretGiven) throw Failure.invalidClient("client secret is required").because("client.secret_missing");
        boolean secretMatches = SecretHash.matches(auth.secret(), found.map(Client::secretHash).orElse(NO_CLIENT));
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
}
