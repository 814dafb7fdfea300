package dev.jeton.model;

import java.time.Instant;
import java.util.List;

/** A person who logs in with a password. {@code passwordHash} is an Argon2id PHC string. */
public record User(String id, String name, String passwordHash, boolean disabled, List<String> groups, Instant createdAt) {
    public User {
        groups = List.copyOf(groups);
    }

    public Subject subject() { return new Subject(SubjectKind.USER, id, name); }
}
