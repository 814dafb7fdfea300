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
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Evaluates access rules. A store may hold tens of thousands of rules, so they are not held in
 * memory all at once: the rules that can apply to a requester (anonymous ones, its own, its
 * groups') are read by one indexed query and kept compiled per requester, at most
 * {@link #MAX_REQUESTERS} requesters (least recently used go first). All of it is dropped when
 * the store's change counter moves; that counter is read at most once per {@code recheck}
 * interval, so a rule added by the CLI or another instance applies within that bound, and no
 * request pays a query per scope. A deny is not an error: the result is the granted subset,
 * maybe empty.
 */
public final class AccessRules {
    public static final Set<String> ALL_ACTIONS = Set.of("pull", "push", "delete", "*");
    /** Requesters whose compiled rules are kept; a few rules each, so a few MiB at most. */
    public static final int MAX_REQUESTERS = 10_000;

    private final RuleStore store;
    private final Recheck recheck;
    private final Cache<RequesterKey, Compiled> byRequester;
    private volatile long version;

    public AccessRules(RuleStore store, Duration recheck, Clock clock) {
        this(store, recheck, clock, MAX_REQUESTERS);
    }

    AccessRules(RuleStore store, Duration recheck, Clock clock, int maxRequesters) {
        this.store = store;
        this.recheck = new Recheck(recheck, clock);
        // executor(Runnable::run): evictions happen on the caller's thread, so a test sees them without waiting.
        this.byRequester = Caffeine.newBuilder().maximumSize(maxRequesters).executor(Runnable::run).build();
        this.version = store.version();
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
        Compiled rules = current(who);
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

    /** Drops every requester's rules at once, for changes made in this process: the next request already sees them. */
    public void invalidate() {
        version = store.version();
        byRequester.invalidateAll();
    }

    /** How many requesters' rules are held now (for tests and the bounds in docs/architecture.md). */
    long requestersHeld() {
        byRequester.cleanUp();
        return byRequester.estimatedSize();
    }

    private Compiled current(Requester who) {
        // One request per interval checks the version; the rest use what is loaded.
        if (recheck.due()) {
            long now = store.version();
            if (now != version) {
                version = now;
                byRequester.invalidateAll();
            }
        }
        // The version is part of the key: rules loaded under an older version while the counter moved are never read.
        return byRequester.get(RequesterKey.of(version, who), this::load);
    }

    private Compiled load(RequesterKey key) {
        return compile(store.applicableTo(key.kind(), key.name(), key.groups()));
    }

    private static Compiled compile(List<AccessRule> rules) {
        List<CompiledRule> out = new ArrayList<>(rules.size());
        for (AccessRule r : rules) {
            out.add(new CompiledRule(r.id(), r.subjectKind(), r.subjectName(), glob(r.repositoryPattern()), r.actions()));
        }
        return new Compiled(List.copyOf(out));
    }

    /** What decides which rules can apply (under one version of the rules): the requester's kind as rules name it, its name, and a user's groups. */
    private record RequesterKey(long version, SubjectKindOfRule kind, String name, List<String> groups) {
        static RequesterKey of(long version, Requester who) {
            SubjectKindOfRule kind = switch (who.kind()) {
                case USER -> SubjectKindOfRule.USER;
                case APP -> SubjectKindOfRule.APP;
                case IDENTITY -> SubjectKindOfRule.IDENTITY;
                case ANONYMOUS -> SubjectKindOfRule.ANONYMOUS;
            };
            return new RequesterKey(version, kind, who.name(), who.kind() == Requester.Kind.USER ? who.groups() : List.of());
        }
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

    private record Compiled(List<CompiledRule> rules) {
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
