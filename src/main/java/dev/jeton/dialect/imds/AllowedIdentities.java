package dev.jeton.dialect.imds;

import dev.jeton.model.ManagedIdentity;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which of the node's identities an endpoint may hand out, by name: {@code *} for all of them.
 * IMDS answers any local process; Arc only processes that can read its key files, App Service
 * only holders of its header secret, so each may be given fewer identities.
 */
public record AllowedIdentities(Set<String> names) implements Predicate<ManagedIdentity> {
    public static final AllowedIdentities ALL = new AllowedIdentities(null);

    /** From a setting's list: {@code *} means all of the node's identities. */
    public static AllowedIdentities of(List<String> names) {
        if (names.contains("*")) return ALL;
        return new AllowedIdentities(Set.copyOf(names));
    }

    @Override
    public boolean test(ManagedIdentity identity) {
        return names == null || names.contains(identity.name());
    }

    @Override
    public String toString() { return names == null ? "*" : String.join(",", names.stream().sorted().toList()); }
}
