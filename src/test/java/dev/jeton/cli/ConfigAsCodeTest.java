package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.engine.Accounts.ClientSpec;
import dev.jeton.model.GrantType;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.DataDirCli;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.InProcessCli.Result;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** jeton export, diff and apply on a real store (SQLite, and PostgreSQL in the postgres run). */
class ConfigAsCodeTest {
    @TempDir
    Path dir;

    private Path dataDir(String name) { return DataDirCli.fresh(dir, name); }

    private static Result jeton(Path dataDir, String... args) { return DataDirCli.run(dataDir, null, args); }

    private static AdminWiring wiring(Path dataDir) { return new AdminWiring(Jetons.config(dataDir, Map.of()), Clock.systemUTC()); }

    private static void seed(Path dataDir) {
        try (AdminWiring w = wiring(dataDir)) {
            w.changes().addUser("alice", new dev.jeton.model.Secret("correct horse battery"), List.of("dev", "admins"));
            w.changes().updateProfile("alice", new dev.jeton.model.UserProfile("Alice A", null, null, "alice@example.com", false), true);
            w.changes().addUser("bob", new dev.jeton.model.Secret("another long password"), List.of());
            w.changes().setUserDisabled("bob", true);
            w.changes().addClient(new ClientSpec("ci", Set.of(GrantType.CLIENT_CREDENTIALS), Set.of("registry:pull", "api"), List.of("https://api"),
                    List.of(), Duration.ofMinutes(10), null, dev.jeton.model.RefreshPolicy.ROTATING, false));
            w.changes().addClient(new ClientSpec("spa", Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN), Set.of("openid"),
                    List.of(), List.of("https://app.example/cb"), null, Duration.ofHours(8), dev.jeton.model.RefreshPolicy.REUSABLE, true));
            w.changes().addNode("node-a");
            w.changes().addNode("node-b");
            w.changes().setNodeDisabled("node-b", true);
            w.changes().addIdentity("builder", null, null, null);
            w.changes().assignIdentity("builder", "node-a");
            w.changes().addRule("group:dev", "team/*", Set.of("pull", "push"));
            w.changes().addRule("anonymous", "public/*", Set.of("pull"));
        }
    }

    private static String export(Path dataDir) {
        Result r = jeton(dataDir, "export");
        assertThat(r.code()).as(r.err()).isZero();
        return r.out();
    }

    private static long appliedEvents(Path dataDir) {
        Path log = dataDir.resolve("audit.log");
        if (!Files.exists(log)) return 0;
        return AuditTrail.of(dataDir).lines().stream().filter(l -> AuditTrail.has(l, "event", "admin", "subject", "apply")).count();
    }

    @Test
    void exportThenApplyOnAnEmptyStoreGivesTheSameConfigurationAndASecondApplyChangesNothing() throws Exception {
        Path a = dataDir("a"), b = dataDir("b");
        seed(a);
        String first = export(a);
        assertThat(first).contains("alice", "ci", "spa", "builder", "node-a", "team/*").doesNotContain("$argon2", "password:");
        Path file = dir.resolve("jeton.yaml");
        Files.writeString(file, first);

        Result diff = jeton(b, "diff", "-f", file.toString());
        assertThat(diff.code()).as(diff.err()).isEqualTo(ConfigAsCodeCommands.CHANGES);
        assertThat(diff.out()).contains("+ client ci", "+ user alice", "+ rule group:dev team/*");

        Result applied = jeton(b, "apply", "-f", file.toString());
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("client ci secret (shown once): ", "node node-a enrolment token (shown once): ",
                "node node-b enrolment token (shown once): ").doesNotContain("client spa secret");
        assertThat(first).contains("nodes:\n- name: node-a\n  disabled: false\n- name: node-b\n  disabled: true");
        assertThat(export(b)).isEqualTo(first);
        long events = appliedEvents(b);
        assertThat(events).isGreaterThanOrEqualTo(9);

        Result again = jeton(b, "apply", "-f", file.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("no changes");
        assertThat(jeton(b, "diff", "-f", file.toString()).code()).isZero();
        assertThat(appliedEvents(b)).isEqualTo(events);
    }

    @Test
    void applyUpdatesFieldsAndPruneRemovesWhatTheFileLeavesOut() throws Exception {
        Path a = dataDir("a");
        seed(a);
        String yaml = export(a)
                .replace("  - pull\n  - push", "  - pull")              // group:dev loses push
                .replace("- subject: anonymous\n  repository: public/*\n  actions:\n  - pull\n", "");
        Path file = dir.resolve("edited.yaml");
        Files.writeString(file, yaml.replace("name: bob\n  groups: []\n  disabled: true", "name: bob\n  groups: []\n  disabled: false"));

        Result diff = jeton(a, "diff", "-f", file.toString(), "--prune");
        assertThat(diff.code()).as(diff.err()).isEqualTo(ConfigAsCodeCommands.CHANGES);
        assertThat(diff.out()).contains("~ user bob", "disabled: true -> false", "~ rule group:dev team/*", "- rule anonymous public/*");

        assertThat(jeton(a, "apply", "-f", file.toString()).code()).isZero();
        assertThat(export(a)).contains("anonymous"); // without --prune it stays
        Result pruned = jeton(a, "apply", "-f", file.toString(), "--prune");
        assertThat(pruned.code()).as(pruned.err()).isZero();
        String after = export(a);
        assertThat(after).doesNotContain("anonymous").contains("name: bob\n  groups: []\n  disabled: false");
        assertThat(jeton(a, "diff", "-f", file.toString(), "--prune").code()).isZero();
        assertThat(AuditTrail.of(a).lines()).anyMatch(l -> AuditTrail.has(l, "subject", "apply", "action", "rule.delete"));
    }

    @Test
    void aFileWithOneInvalidEntryChangesNothingAndAuditsNothing() throws Exception {
        Path a = dataDir("a");
        seed(a);
        String before = export(a);
        long events = appliedEvents(a);
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, before
                + "- subject: group:dev\n  repository: new/*\n  actions:\n  - pull\n"
                + "- subject: robot:nobody\n  repository: x/*\n  actions:\n  - pull\n");
        Files.writeString(file, Files.readString(file).replace("clients:\n", "clients:\n- clientId: newcomer\n  grants:\n  - client_credentials\n"));

        Result r = jeton(a, "apply", "-f", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("jeton: ").contains("rule robot:nobody x/*: subject must be");
        assertThat(export(a)).isEqualTo(before);
        assertThat(appliedEvents(a)).isEqualTo(events);

        Files.writeString(file, "users:\n- name: carol\n  colour: blue\n");
        Result unknown = jeton(a, "diff", "-f", file.toString());
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown field 'colour'");
    }

    /** Registry rules as "subject repository actions", sorted. */
    private static List<String> rules(AdminWiring w) {
        return w.rules().list().stream().map(r -> r.subject() + " " + r.repositoryPattern() + " " + String.join(",", r.actions())).sorted().toList();
    }

    /** Replaces the file in one step, as editors and Kubernetes ConfigMaps do: the watcher never sees half a file. */
    private static void replace(Path file, String content) throws Exception {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void await(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met; " + state.get());
            Thread.sleep(20); // polling a condition, not waiting for a guessed time
        }
    }

    @Test
    void watchAppliesTheFileAtStartAndEachEditAndRefusesABadOneKeepingTheRunningConfig() throws Exception {
        Path a = dataDir("a");
        Path file = Files.createDirectories(dir.resolve("watched")).resolve("jeton.yaml");
        Files.writeString(file, "rules:\n- subject: group:dev\n  repository: team/*\n  actions: [pull]\n");
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AdminWiring w = wiring(a); ConfigWatcher watcher = new ConfigWatcher(w, file, log::add)) {
            assertThat(rules(w)).containsExactly("group:dev team/* pull");
            assertThat(log).anyMatch(l -> l.contains("+ rule group:dev team/*"));

            replace(file, "rules:\n- subject: group:dev\n  repository: team/*\n  actions: [pull, push]\n");
            // The watcher logs what it changed after the change is in the store: wait for both.
            await(() -> rules(w).equals(List.of("group:dev team/* pull,push"))
                    && log.stream().anyMatch(l -> l.contains("actions: [pull] -> [pull, push]")), () -> rules(w) + " " + log);

            replace(file, "rules:\n- subject: group:dev\n  repository: team/*\n  actions: [pull]\n- subject: robot:x\n  repository: y/*\n  actions: [pull]\n");
            await(() -> log.stream().anyMatch(l -> l.contains("refused, nothing changed: rule robot:x y/*")), log::toString);
            assertThat(rules(w)).containsExactly("group:dev team/* pull,push");
        }
    }

    @Test
    void anApplyAndChangesMadeMeanwhileByAnotherAdminBothStay() throws Exception {
        Path a = dataDir("a");
        StringBuilder yaml = new StringBuilder("rules:\n");
        for (int i = 0; i < 20; i++) yaml.append("- subject: group:g").append(i).append("\n  repository: r").append(i).append("/*\n  actions: [pull]\n");
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, yaml.toString());
        try (AdminWiring other = wiring(a)) {
            other.accounts().users(); // store open before the race starts
            java.util.concurrent.CompletableFuture<Result> apply = java.util.concurrent.CompletableFuture.supplyAsync(() -> jeton(a, "apply", "-f", file.toString()));
            for (int i = 0; i < 10; i++) {
                other.changes().addClient(new ClientSpec("svc-" + i, Set.of(GrantType.CLIENT_CREDENTIALS), Set.of(), List.of(), List.of(), null, null,
                        dev.jeton.model.RefreshPolicy.ROTATING, false));
            }
            Result applied = apply.get();
            assertThat(applied.code()).as(applied.err()).isZero();
            assertThat(other.accounts().clients()).hasSize(10);
            assertThat(other.rules().list()).hasSize(20);
        }
        assertThat(jeton(a, "diff", "-f", file.toString()).code()).isZero();
    }

    @Test
    void aClientSecretByReferenceIsSetOnCreateAndWhenItChangesButNeverShownStoredOrExported() throws Exception {
        Path a = dataDir("a");
        String first = "a".repeat(40) + "0123456789abcdef0123456789", second = "b".repeat(40) + "0123456789abcdef0123456789";
        Path secretFile = dir.resolve("ci.secret");
        Files.writeString(secretFile, first + "\n");
        Path file = dir.resolve("secrets.yaml");
        Files.writeString(file, "clients:\n- clientId: ci\n  grants: [client_credentials]\n  secretFile: " + secretFile + "\n");

        Result created = jeton(a, "apply", "-f", file.toString());
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("+ client ci").doesNotContain("secret (shown once)", first);
        try (AdminWiring w = wiring(a)) {
            assertThat(w.accounts().clientSecretIs("ci", new dev.jeton.model.Secret(first))).isTrue();
        }
        assertThat(export(a)).contains("clientId: ci").doesNotContain("secretFile", first);
        Result again = jeton(a, "apply", "-f", file.toString());
        assertThat(again.out()).contains("no changes");

        Files.writeString(secretFile, second);
        Result diff = jeton(a, "diff", "-f", file.toString());
        assertThat(diff.code()).isEqualTo(ConfigAsCodeCommands.CHANGES);
        assertThat(diff.out()).contains("~ client ci", "secret: another -> the content of " + secretFile).doesNotContain(first, second);
        assertThat(jeton(a, "apply", "-f", file.toString()).code()).isZero();
        try (AdminWiring w = wiring(a)) {
            assertThat(w.accounts().clientSecretIs("ci", new dev.jeton.model.Secret(second))).isTrue();
            assertThat(w.accounts().clientSecretIs("ci", new dev.jeton.model.Secret(first))).isFalse();
        }
        assertThat(jeton(a, "diff", "-f", file.toString()).code()).isZero();
        assertThat(Files.readString(a.resolve("audit.log"))).contains("client.set_secret").doesNotContain(first, second);

        Files.writeString(secretFile, "short");
        Result weak = jeton(a, "apply", "-f", file.toString());
        assertThat(weak.code()).isEqualTo(1);
        assertThat(weak.err()).contains("client ci: a client secret must be at least 32 characters").doesNotContain("short");
        Files.writeString(file, "clients:\n- clientId: spa\n  public: true\n  grants: [authorization_code]\n  redirectUris: [https://app/cb]\n"
                + "  secretFile: " + secretFile + "\n");
        Result isPublic = jeton(a, "apply", "-f", file.toString());
        assertThat(isPublic.code()).isEqualTo(1);
        assertThat(isPublic.err()).contains("client spa: a public client has no secret");
    }

    @Test
    void nodesAndUpstreamsAreExportedAppliedUpdatedAndPrunedWithTheUpstreamSecretByReference() throws Exception {
        Path a = dataDir("a");
        Path secretFile = dir.resolve("corp.secret");
        Files.writeString(secretFile, "upstream-client-secret\n");
        String nodes = "nodes:\n- name: n1\n- name: n2\n  disabled: true\n";
        String upstream = "upstreams:\n- name: corp\n  issuer: https://login.corp.example\n  clientId: jeton\n  groupsClaim: groups\n"
                + "  allowedDomains: [corp.example]\n";
        Path file = dir.resolve("infra.yaml");
        Files.writeString(file, nodes + upstream);

        Result noSecret = jeton(a, "apply", "-f", file.toString());
        assertThat(noSecret.code()).isEqualTo(1);
        assertThat(noSecret.err()).contains("upstream corp: clientSecretEnv or clientSecretFile is needed to create it");
        assertThat(export(a)).doesNotContain("n1");

        Files.writeString(file, nodes + upstream + "  clientSecretFile: " + secretFile + "\n");
        Result created = jeton(a, "apply", "-f", file.toString());
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("+ node n1", "+ upstream corp", "node n1 enrolment token (shown once): ",
                "node n2 enrolment token (shown once): ").doesNotContain("upstream-client-secret");
        String exported = export(a);
        assertThat(exported).contains("- name: n2\n  disabled: true", "name: corp", "issuer: https://login.corp.example", "- corp.example")
                .doesNotContain("clientSecret", "upstream-client-secret");
        assertThat(Files.readString(a.resolve("audit.log"))).contains("node.add", "upstream.add").doesNotContain("upstream-client-secret");
        assertThat(jeton(a, "apply", "-f", file.toString()).out()).contains("no changes");

        String edited = exported.replace("- name: n2\n  disabled: true", "- name: n2\n  disabled: false").replace("- corp.example", "- corp.example\n  - corp.test");
        Files.writeString(file, edited);
        Result diff = jeton(a, "diff", "-f", file.toString());
        assertThat(diff.code()).isEqualTo(ConfigAsCodeCommands.CHANGES);
        assertThat(diff.out()).contains("~ node n2", "disabled: true -> false", "~ upstream corp", "allowedDomains: [corp.example] -> [corp.example, corp.test]");
        Result needsSecret = jeton(a, "apply", "-f", file.toString());
        assertThat(needsSecret.code()).isEqualTo(1);
        assertThat(needsSecret.err()).contains("upstream corp: clientSecretEnv or clientSecretFile is needed to change it");
        Files.writeString(file, edited.replace("  scope:", "  clientSecretFile: " + secretFile + "\n  scope:"));
        Result updated = jeton(a, "apply", "-f", file.toString());
        assertThat(updated.code()).as(updated.err()).isZero();
        assertThat(export(a)).contains("- name: n2\n  disabled: false", "- corp.test");
        assertThat(jeton(a, "diff", "-f", file.toString()).code()).isZero();

        Files.writeString(file, "nodes:\n- name: n2\n");
        Result pruned = jeton(a, "apply", "-f", file.toString(), "--prune");
        assertThat(pruned.code()).as(pruned.err()).isZero();
        assertThat(pruned.out()).contains("- node n1", "- upstream corp");
        assertThat(export(a)).doesNotContain("n1", "corp").contains("name: n2");
    }

    @Test
    void applyChangesAUsersGroupsAndAClientsGrantsScopesAndRedirectUrisInPlace() throws Exception {
        Path a = dataDir("a");
        seed(a);
        String secret;
        try (AdminWiring w = wiring(a)) {
            secret = w.changes().rotateClientSecret("ci", Duration.ZERO).value();
        }
        Path file = dir.resolve("inplace.yaml");
        Files.writeString(file, "users:\n- name: alice\n  groups: [dev, ops]\n"
                + "clients:\n- clientId: ci\n  grants: [client_credentials, password]\n  scopes: [api]\n"
                + "- clientId: spa\n  redirectUris: [https://app.example/cb, https://app.example/cb2]\n");
        Result diff = jeton(a, "diff", "-f", file.toString());
        assertThat(diff.code()).as(diff.err()).isEqualTo(ConfigAsCodeCommands.CHANGES);
        assertThat(diff.out()).contains("~ user alice", "groups: [admins, dev] -> [dev, ops]", "~ client ci", "scopes: [api, registry:pull] -> [api]",
                "~ client spa", "redirectUris: ");

        Result applied = jeton(a, "apply", "-f", file.toString());
        assertThat(applied.code()).as(applied.err()).isZero();
        String after = export(a);
        assertThat(after).contains("name: alice\n  groups:\n  - dev\n  - ops", "- https://app.example/cb2", "  - password\n")
                .doesNotContain("registry:pull");
        assertThat(jeton(a, "diff", "-f", file.toString()).code()).isZero();
        assertThat(jeton(a, "apply", "-f", file.toString()).out()).contains("no changes");
        try (AdminWiring w = wiring(a)) {
            assertThat(w.accounts().clientSecretIs("ci", new dev.jeton.model.Secret(secret))).as("an update keeps the secret").isTrue();
            assertThat(w.accounts().clients().stream().filter(c -> c.clientId().equals("ci")).findFirst().orElseThrow().accessTokenTtl())
                    .as("fields the file leaves out stay").isEqualTo(Duration.ofMinutes(10));
        }
        assertThat(AuditTrail.of(a).lines()).anyMatch(l -> AuditTrail.has(l, "subject", "apply", "action", "user.set_groups"))
                .anyMatch(l -> AuditTrail.has(l, "subject", "apply", "action", "client.update"));

        Files.writeString(file, "clients:\n- clientId: spa\n  grants: [client_credentials]\n");
        Result refused = jeton(a, "apply", "-f", file.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("client spa: a public client cannot use client_credentials");
    }
}
