package dev.jeton.engine;

import dev.jeton.model.Client;
import dev.jeton.model.Failure;

import java.time.Duration;
import java.util.Set;

/** Rules every grant applies the same way: which scopes and audience a client may have, and its lifetimes. */
public final class Grants {
    private final EngineSettings settings;

    public Grants(EngineSettings settings) { this.settings = settings; }

    /** RFC 6749 3.3: no scope asked for means the client's full allowance. */
    public Set<String> scope(Client client, Set<String> requested) {
        if (requested == null) return client.scopes();
        for (String s : requested) {
            if (!client.scopes().contains(s)) throw Failure.invalidScope("scope '" + s + "' is not allowed for this client").because("scope.not_allowed");
        }
        return requested;
    }

    /** The requested audience must be one the client is registered for; none means its first, or the issuer. */
    public String audience(Client client, String requested) {
        if (requested == null || requested.isEmpty()) {
            return client.audiences().isEmpty() ? settings.issuer() : client.audiences().getFirst();
        }
        if (!client.audiences().contains(requested)) {
            throw Failure.of(dev.jeton.model.Reason.INVALID_TARGET, "audience", "audience '" + requested + "' is not allowed for this client").because("audience.not_allowed");
        }
        return requested;
    }

    public Duration accessTtl(Client client) {
        return client.accessTokenTtl() != null ? client.accessTokenTtl() : settings.accessTokenTtl();
    }

    /** For tokens issued to no client (a federated workload's own). */
    public Duration defaultAccessTtl() { return settings.accessTokenTtl(); }

    public Duration refreshTtl(Client client) {
        return client.refreshTokenTtl() != null ? client.refreshTokenTtl() : settings.refreshTokenTtl();
    }
}
