package dev.jeton.engine.access;

import dev.jeton.model.AccessRule;
import dev.jeton.model.AccessRule.SubjectKindOfRule;
import dev.jeton.model.AccessScope;
import dev.jeton.model.Requester;
import dev.jeton.model.Subject;
import dev.jeton.model.SubjectKind;
import dev.jeton.store.Databases;
import dev.jeton.store.Store;
import dev.jeton.store.jdbc.JdbcStore;
import dev.jeton.support.MutableClock;
import dev.jeton.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules are read per requester from the store (never the whole table) and held for a bounded
 * number of requesters; the decisions are the same as when every rule was in memory. On the real
 * store of the run: SQLite, or PostgreSQL in the pom's postgres execution.
 */
class AccessRulesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration RECHECK = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private Store store;
    private final MutableClock clock = new MutableClock(T0);

    @BeforeEach
    void open() {
        store = new JdbcStore(TestPostgres.selected() ? Databases.open(TestPostgres.newDatabase(), null, 4, null)
                : Databases.open("sqlite:" + dir.resolve("rules.db"), null, 4, null));
    }

    @AfterEach
    void close() { store.close(); }

    private void rule(String id, SubjectKindOfRule kind, String name, String pattern, String... actions) {
        store.rules().add(new AccessRule(id, kind, name, pattern, Set.of(actions), T0));
    }

    private static Requester user(String name, String... groups) {
        return new Requester(Requester.Kind.USER, new Subject(SubjectKind.USER, "u-" + name, name), List.of(groups));
    }

    private static Requester app(String name) {
        return new Requester(Requester.Kind.APP, new Subject(SubjectKind.CLIENT, name, name), List.of());
    }

    private static AccessScope repo(String name, String... actions) {
        return new AccessScope("repository", null, name, List.of(actions));
    }

    @Test
    void decideWhenRulesNameOthersThenOnlyTheRequestersOwnGroupsAndAnonymousRulesApply() {
        rule("r-1", SubjectKindOfRule.USER, "ada", "ada/*", "pull", "push");
        rule("r-2", SubjectKindOfRule.GROUP, "dev", "team/*", "pull");
        rule("r-3", SubjectKindOfRule.GROUP, "ops", "team/*", "push");
        rule("r-4", SubjectKindOfRule.ANONYMOUS, null, "public/*", "pull");
        rule("r-5", SubjectKindOfRule.APP, "ada", "team/*", "*");          // an app of the same name is someone else
        rule("r-6", SubjectKindOfRule.USER, "bob", "ada/*", "delete");
        AccessRules rules = new AccessRules(store.rules(), RECHECK, clock);

        AccessRules.Decision d = rules.decide(user("ada", "dev"),
                List.of(repo("ada/x", "pull", "push", "delete"), repo("team/y", "pull", "push"), repo("public/z", "pull")));

        assertThat(d.access()).extracting(AccessScope::actions)
                .containsExactly(List.of("pull", "push"), List.of("pull"), List.of("pull"));
        assertThat(d.limits()).extracting(l -> l.reason()).containsExactly("rule:r-1", "rule:r-2");
        assertThat(rules.grant(app("ada"), List.of(repo("team/y", "delete")))).extracting(AccessScope::actions)
                .containsExactly(List.of("delete"));
        assertThat(rules.grant(Requester.ANONYMOUS, List.of(repo("team/y", "pull"), repo("public/z", "pull"))))
                .extracting(AccessScope::name).containsExactly("public/z");
    }

    @Test
    void decideWhenMoreRequestersThanTheBoundThenTheLeastRecentAreDroppedAndReloadedOnUse() {
        rule("r-1", SubjectKindOfRule.GROUP, "dev", "team/*", "pull");
        AccessRules rules = new AccessRules(store.rules(), RECHECK, clock, 5);

        for (int i = 0; i < 50; i++) {
            assertThat(rules.grant(user("u" + i, "dev"), List.of(repo("team/a", "pull")))).hasSize(1);
        }

        assertThat(rules.requestersHeld()).isLessThanOrEqualTo(5);
        assertThat(rules.grant(user("u0", "dev"), List.of(repo("team/a", "pull")))).hasSize(1);
    }

    @Test
    void decideWhenAnotherProcessAddsARuleThenItAppliesAfterTheRecheckInterval() {
        AccessRules rules = new AccessRules(store.rules(), RECHECK, clock);
        assertThat(rules.grant(app("ci"), List.of(repo("team/a", "pull")))).isEmpty();

        rule("r-1", SubjectKindOfRule.APP, "ci", "team/*", "pull");   // straight to the store, as another instance would
        assertThat(rules.grant(app("ci"), List.of(repo("team/a", "pull")))).as("within the interval: the held copy").isEmpty();

        clock.advance(RECHECK);
        assertThat(rules.grant(app("ci"), List.of(repo("team/a", "pull")))).hasSize(1);
    }

    @Test
    void decideWhenInvalidatedInThisProcessThenADeletedRuleStopsAtOnce() {
        rule("r-1", SubjectKindOfRule.APP, "ci", "team/*", "pull");
        AccessRules rules = new AccessRules(store.rules(), RECHECK, clock);
        assertThat(rules.grant(app("ci"), List.of(repo("team/a", "pull")))).hasSize(1);

        store.rules().delete("r-1");
        rules.invalidate();

        assertThat(rules.grant(app("ci"), List.of(repo("team/a", "pull")))).isEmpty();
    }
}
