package dev.jeton.model;

import java.util.List;

/** Who asks for registry access: a user with groups, an app, a managed identity, or nobody in particular. */
public record Requester(Kind kind, Subject subject, List<String> groups) {
    public enum Kind { USER, APP, IDENTITY, ANONYMOUS }

    public static final Requester ANONYMOUS = new Requester(Kind.ANONYMOUS, new Subject(SubjectKind.USER, "", ""), List.of());

    public Requester {
        groups = List.copyOf(groups);
    }

    public static Requester user(User user) { return new Requester(Kind.USER, user.subject(), user.groups()); }

    public static Requester app(Client client) { return new Requester(Kind.APP, client.subject(), List.of()); }

    public static Requester identity(ManagedIdentity identity) { return new Requester(Kind.IDENTITY, identity.subject(), List.of()); }

    public String name() { return subject.name(); }
}
