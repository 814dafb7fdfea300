package dev.jeton.store;

import dev.jeton.model.AccessRule;

import java.util.List;

/** Access rules; every change bumps a version so in-memory copies know to reload. */
public interface RuleStore {
    void add(AccessRule rule);

    List<AccessRule> list();

    boolean delete(String id);

    /** Changes with every add or delete, in any process. One indexed read. */
    long version();
}
