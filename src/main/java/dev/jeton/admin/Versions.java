package dev.jeton.admin;

import dev.jeton.model.Client;
import dev.jeton.model.ClientOidcSettings;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.model.Node;
import dev.jeton.model.User;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The version of an item as the admin API's {@code ETag} names it, for the console's edit forms:
 * a form carries the version it was rendered from, and a change checks it against this, so a
 * form and an {@code If-Match} refuse the same stale edits.
 */
public final class Versions {
    private Versions() {
    }

    public static String of(Client client, ClientOidcSettings registered) { return ClientsResource.etag(client, registered); }

    public static String of(User user) { return UsersResource.etag(user); }

    public static String of(Node node) { return NodesResource.etag(node); }

    public static String of(ManagedIdentity identity) { return Etags.of(IdentitiesResource.IdentityWire.of(identity)); }

    /** A group's version, from its members (user names) and the ids of the rules that grant to it, as the API lists them. */
    public static String ofGroup(String name, Collection<String> members, Collection<String> ruleIds) {
        return Etags.of(new GroupsResource.GroupWire(name, List.copyOf(new TreeSet<>(members)), List.copyOf(new TreeSet<>(ruleIds))));
    }

    /** True when {@code sent}, a form's version, names {@code current}; a form cannot say {@code *} (any version). */
    public static boolean matches(String sent, String current) { return sent != null && !sent.isBlank() && !sent.strip().equals("*") && Etags.matches(sent, current); }
}
