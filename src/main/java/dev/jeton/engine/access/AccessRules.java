package dev.jeton.engine.access;

import dev.jeton.model.AccessRule;
import dev.jeton.model.AccessRule.SubjectKindOfRule;
import dev.jeton.model.AccessScope;
import dev.jeton.model.Requester;
import dev.jeton.model.ScopeLimit;
import dev.jeton.store.RuleStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import dev.jeton.engine.Recheck;
import java.util.regex.Pattern;

/**
 * Evaluates access rules from memory. The compiled rules are reloaded when the store's change
 * counter moves; that counter is read at most once per {@code recheck} interval, so a rule
 * added by the CLI or another instance applies within that bound, and no request pays a
 * query per scope. A deny is not an error: the result is the granted subset, maybe empty.
 */
public final class AccessRules {
    public static final Set<String> ALL_ACTIONS = Set.of("pull", "push", "delete", "*");

    private final RuleStore store;
    private final Recheck recheck;
    private volatile Compiled compiled;

    public AccessRules(RuleStore store, Duration recheck, Clock clock) {
        this.store = store;
        this.recheck = new Recheck(recheck, clock);
        // Loaded before the first request: no caller may ever see an empty rule set by accident.
        long version = store.version();
        this.compiled = compile(version, store.list());
    }

    /** The requested scopes cut down to what the requester may do; scopes with nothing left are dropped. */
    public List<AccessScope> grant(Requester who, List<AccessScope> requested) {
        return decide(who, requested).granted();
    }

    /**
     * Every requested scope with the actions the requester may do (maybe none), and for each
     * scope that was cut, which rules decided it: an operator reads them in the audit log. The
     * explanation is built only for scopes that were cut. Only {@code repository} scopes (of any
     * class) and {@code registry:catalog} are understood; any other resource gets no actions.
     */
    public Decision decide(Requester who, List<AccessScope> requested) {
        Compiled rules = current();
        List<AccessScope> access = new ArrayList<>(requested.size());
        List<ScopeLimit> limits = null;
        for (AccessScope scope : requested) {
            Set<String> allowed = rules.allowed(who, scope);
            List<String> actions = new ArrayList<>();
            for (String action : scope.actions()) {
                if (allowed.contains("*") || allowed.contains(action)) actions.add(action);
            }
            access.add(scope.withActions(actions));
            if (actions.size() < scope.actions().size()) {
                if (limits == null) limits = new ArrayList<>(2);
                limits.add(new ScopeLimit(scope.format(), String.join(",", actions), why(rules, who, scope)));
            }
        }
        return new Decision(access, limits == null ? List.of() : limits);
    }

    private static String why(Compiled rules, Requester who, AccessScope scope) {
        if (!understood(scope)) return "scope.not_understood";
        List<String> matched = rules.matching(who, scope);
        return matched.isEmpty() ? "rule.no_match" : "rule:" + String.join(",", matched);
    }

    /** The resources rules speak of: repositories (a class such as {@code plugin} changes nothing) and the catalog. */
    private static boolean understood(AccessScope scope) {
        return scope.type().equals("repository") || (scope.type().equals("registry") && scope.name().equals("catalog"));
    }

    /**
     * What {@link #decide} allowed: {@code access} has every requested scope with its granted
     * actions, in the order asked; {@code limits} says why the rest was not granted.
     */
    public record Decision(List<AccessScope> access, List<ScopeLimit> limits) {
        /** The scopes with at least one action granted. */
        public List<AccessScope> granted() {
            return access.stream().filter(s -> !s.actions().isEmpty()).toList();
        }
    }

    /** Reloads at once, for changes made in this process: the next request already sees them. */
    public void invalidate() {
        long version = store.version();
        compiled = compile(version, store.list());
    }

    private Compiled current() {
        // One request per interval checks the version; the rest use what is loaded.
        if (recheck.due()) {
            long version = store.version();
            if (version != compiled.version()) compiled = compile(version, store.list());
        }
        return compiled;
    }

    private static Compiled compile(long version, List<AccessRule> rules) {
        List<CompiledRule> out = new ArrayList<>(rules.size());
        for (AccessRule r : rules) {
            out.add(new CompiledRule(r.id(), r.subjectKind(), r.subjectName(), glob(r.repositoryPattern()), r.actions()));
        }
        return new Compiled(version, List.copyOf(out));
    }

    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private record CompiledRule(String id, SubjectKindOfRule kind, String name, Pattern repositories, Set<String> actions) {
        boolean appliesTo(Requester who) {
            return switch (kind) {
                case ANONYMOUS -> true;
                case USER -> who.kind() == Requester.Kind.USER && who.name().equals(name);
                case APP -> who.kind() == Requester.Kind.APP && who.name().equals(name);
                case GROUP -> who.kind() == Requester.Kind.USER && who.groups().contains(name);
                case IDENTITY -> who.kind() == Requester.Kind.IDENTITY && who.name().equals(name);
            };
        }
    }

    private record Compiled(long version, List<CompiledRule> rules) {
        /**
         * Repository scopes match by name. {@code registry:catalog:*} lists every repository, so
         * it needs a rule granting {@code *} on the pattern {@code *}.
         */
        Set<String> allowed(Requester who, AccessScope scope) {
            Set<String> allowed = new LinkedHashSet<>();
            boolean catalog = scope.type().equals("registry");
            if (!catalog && !scope.type().equals("repository")) return allowed;
            for (CompiledRule rule : rules) {
                if (!rule.appliesTo(who)) continue;
                if (catalog) {
                    if (rule.repositories().pattern().equals(".*") && rule.actions().contains("*") && scope.name().equals("catalog")) {
                        allowed.add("*");
                    }
                } else if (rule.repositories().matcher(scope.name()).matches()) {
                    allowed.addAll(rule.actions());
                }
            }
            return allowed;
        }

        /** The ids of the rules that apply to {@code who} and {@code scope}'s repository, whatever they allow. */
        List<String> matching(Requester who, AccessScope scope) {
            List<String> ids = new ArrayList<>();
            for (CompiledRule rule : rules) {
                if (!rule.appliesTo(who)) continue;
                if (scope.type().equals("registry") ? rule.repositories().pattern().equals(".*")
                        : scope.type().equals("repository") && rule.repositories().matcher(scope.name()).matches()) {
                    ids.add(rule.id());
                }
            }
            return ids;
        }
    }
}
