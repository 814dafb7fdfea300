package dev.jeton.engine.session;

import dev.jeton.model.Client;
import dev.jeton.model.User;
import dev.jeton.store.ConsentStore;

import java.time.Clock;
import java.util.Set;

/** Consent per user, client and scope; a first-party client never asks. */
public final class Consents {
    private final ConsentStore store;
    private final RelyingParties parties;
    private final Clock clock;

    public Consents(ConsentStore store, RelyingParties parties, Clock clock) {
        this.store = store;
        this.parties = parties;
        this.clock = clock;
    }

    /** True when the user must approve: a third-party client asks for a scope not approved before. */
    public boolean needed(User user, Client client, Set<String> scope) {
        if (parties.of(client.clientId()).firstParty()) return false;
        return !store.granted(user.id(), client.clientId()).containsAll(scope);
    }

    public void remember(User user, Client client, Set<String> scope) { store.grant(user.id(), client.clientId(), scope, clock.instant()); }
}
