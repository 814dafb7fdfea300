package dev.jeton.store;

import dev.jeton.model.User;

import java.util.List;
import java.util.Optional;

/** People who log in with a password, and their groups. */
public interface UserStore {
    /** Fails with CONFLICT when the name is taken. */
    void add(User user);

    Optional<User> byName(String name);

    Optional<User> byId(String id);

    List<User> list();

    /** Whether there is at least one user: one row read, whatever the size of the table (start-up asks it). */
    boolean any();

    /** True when the user exists and is not disabled: one indexed read, no groups. */
    boolean isActive(String id);

    boolean setDisabled(String name, boolean disabled);

    boolean setPasswordHash(String name, String passwordHash);

    /** Replaces the user's groups; false when there is no such user. */
    boolean setGroups(String name, List<String> groups);

    /** The user's OpenID Connect profile claims; EMPTY when none are set or there is no such user. */
    dev.jeton.model.UserProfile profile(String id);

    boolean setProfile(String name, dev.jeton.model.UserProfile profile);
}
