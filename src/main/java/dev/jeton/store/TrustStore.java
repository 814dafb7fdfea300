package dev.jeton.store;

import dev.jeton.model.TrustPolicy;

import java.util.List;
import java.util.Optional;

/** Trust policies for workload tokens; every change bumps a version for in-memory copies. */
public interface TrustStore {
    /** Fails with CONFLICT when the name is taken. */
    void add(TrustPolicy policy);

    Optional<TrustPolicy> byName(String name);

    /** All policies, by name. */
    List<TrustPolicy> list();

    boolean delete(String name);

    long version();
}
