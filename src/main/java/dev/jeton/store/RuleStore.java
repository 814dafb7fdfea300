package dev.jeton.store;

import dev.jeton.model.AccessRule;

import java.util.List;

/** Access rules; every change bumps a version so in-memory copies know to reload. */
public interface RuleStore {
    void add(AccessRule rule);

    List<AccessRule> list();

    /**
     * The rules that can apply to one requester: every {@code anonymous} rule, the rules naming
     * {@code kind}/{@code name}, and the group rules naming one of {@code groups}. One indexed
     * query (access_rules_subject): a request never reads the whole table.
     */
    List<AccessRule> applicableTo(AccessRule.SubjectKindOfRule kind, String name, java.util.Collection<String> groups);

    boolean delete(String id);

    /** Changes with every add or delete, in any process. One indexed read. */
    long version();
}
