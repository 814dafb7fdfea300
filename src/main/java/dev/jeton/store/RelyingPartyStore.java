package dev.jeton.store;

import dev.jeton.model.RelyingParty;

import java.util.Optional;

/** Clients' OpenID Connect settings (first-party, logout URIs); a client without a row has the defaults. */
public interface RelyingPartyStore {
    Optional<RelyingParty> byClientId(String clientId);

    /** Inserts or replaces the client's settings. */
    void put(RelyingParty settings);
}
