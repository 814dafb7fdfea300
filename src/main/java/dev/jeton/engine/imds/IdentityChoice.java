package dev.jeton.engine.imds;

import dev.jeton.model.Failure;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.TokenRequest.IdentitySelector;

import java.util.List;

/**
 * Which of a node's identities a managed-identity request means, by IMDS's rules: no selector
 * means the node's system-assigned identity, else its one user-assigned identity; a selector must
 * name one of the node's identities. The same for the IMDS of {@code serve} and for node agents.
 */
public final class IdentityChoice {
    private IdentityChoice() {
    }

    public static ManagedIdentity choose(String node, List<ManagedIdentity> mine, IdentitySelector selector) {
        if (selector.kind() == IdentitySelector.Kind.NONE) {
            for (ManagedIdentity i : mine) {
                if (node.equals(i.systemNode())) return i;
            }
            List<ManagedIdentity> userAssigned = mine.stream().filter(i -> !i.systemAssigned()).toList();
            if (userAssigned.size() > 1) {
                throw Failure.invalidRequest("Multiple user assigned identities exist, please specify the clientId / resourceId "
                        + "of the identity in the token request").because("identity.ambiguous");
            }
            if (userAssigned.size() == 1) return userAssigned.getFirst();
            throw Failure.invalidRequest("Identity not found").because("identity.not_found");
        }
        for (ManagedIdentity i : mine) {
            boolean match = switch (selector.kind()) {
                case CLIENT_ID -> i.clientId().equalsIgnoreCase(selector.value());
                case OBJECT_ID -> i.objectId().equalsIgnoreCase(selector.value());
                case RESOURCE_ID -> i.resourceId().equalsIgnoreCase(selector.value());
                case NONE -> false;
            };
            if (match) return i;
        }
        throw Failure.invalidRequest("Identity not found").because("identity.not_found");
    }
}
