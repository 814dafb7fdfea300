package dev.jeton.store;

import dev.jeton.model.ManagedIdentity;

import java.util.List;
import java.util.Optional;

/** Managed identities and their node assignments; every change bumps a version for in-memory copies. */
public interface IdentityStore {
    /** Fails with CONFLICT when the name, ids, or the node's system-assigned slot are taken. */
    void add(ManagedIdentity identity);

    Optional<ManagedIdentity> byName(String name);

    List<ManagedIdentity> list();

    /** The identity a token names by its object id (the token's subject): one lookup by a unique index. */
    Optional<ManagedIdentity> byObjectId(String objectId);

    /** Identities a node may use: those assigned to it and its system-assigned one. */
    List<ManagedIdentity> forNode(String node);

    boolean assign(String identityId, String node);

    boolean unassign(String identityId, String node);

    boolean delete(String identityId);

    long version();
}
