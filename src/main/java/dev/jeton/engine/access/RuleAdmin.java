package dev.jeton.engine.access;

import dev.jeton.model.AccessRule;
import dev.jeton.model.AccessRule.SubjectKindOfRule;
import dev.jeton.model.Failure;
import dev.jeton.secrets.RandomTokens;
import dev.jeton.store.RuleStore;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Adds, lists and deletes access rules, in the CLI's terms. */
public final class RuleAdmin {
    private final RuleStore store;
    private final AccessRules rules;
    private final RandomTokens random;
    private final Clock clock;

    public RuleAdmin(RuleStore store, AccessRules rules, RandomTokens random, Clock clock) {
        this.store = store;
        this.rules = rules;
        this.random = random;
        this.clock = clock;
    }

    /** {@code subject} is {@code user:NAME}, {@code app:NAME}, {@code group:NAME}, {@code identity:NAME} or {@code anonymous}. */
    public AccessRule add(String subject, String repositoryPattern, Set<String> actions) {
        SubjectKindOfRule kind;
        String name = null;
        if (subject.equals("anonymous")) {
            kind = SubjectKindOfRule.ANONYMOUS;
        } else {
            int colon = subject.indexOf(':');
            if (colon <= 0 || colon == subject.length() - 1) {
                throw Failure.invalidRequest("subject must be user:NAME, app:NAME, group:NAME, identity:NAME or anonymous");
            }
            try {
                kind = SubjectKindOfRule.valueOf(subject.substring(0, colon).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Failure.invalidRequest("subject must be user:NAME, app:NAME, group:NAME, identity:NAME or anonymous");
            }
            if (kind == SubjectKindOfRule.ANONYMOUS) throw Failure.invalidRequest("anonymous takes no name");
            name = subject.substring(colon + 1);
        }
        if (repositoryPattern == null || repositoryPattern.isBlank()) throw Failure.invalidRequest("a repository pattern is required");
        if (actions.isEmpty()) throw Failure.invalidRequest("at least one action is required");
        for (String a : actions) {
            if (!AccessRules.ALL_ACTIONS.contains(a)) throw Failure.invalidRequest("unknown action '" + a + "' (pull, push, delete or *)");
        }
        if (kind == SubjectKindOfRule.ANONYMOUS && !Set.of("pull").containsAll(actions)) {
            throw Failure.invalidRequest("anonymous rules may only allow pull");
        }
        AccessRule rule = new AccessRule(random.id(), kind, name, repositoryPattern, actions, clock.instant());
        store.add(rule);
        rules.invalidate();
        return rule;
    }

    public List<AccessRule> list() { return store.list(); }

    public void delete(String id) {
        if (!store.delete(id)) throw Failure.notFound("no rule with id '" + id + "'");
        rules.invalidate();
    }
}
