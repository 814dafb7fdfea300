package dev.jeton.cli;

import dev.jeton.AdminWiring;
import dev.jeton.engine.desired.DesiredConfig;
import dev.jeton.model.ApiKey;
import dev.jeton.model.Secret;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.DataDirCli;
import dev.jeton.support.InProcessCli.Result;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of configuration through {@code jeton export}, {@code diff} and {@code apply}: a store
 * with each kind populated round-trips byte for byte into an empty one, a second apply changes
 * nothing, prune removes exactly what the file leaves out, and a refused apply changes nothing
 * (SQLite, and PostgreSQL in the postgres run).
 */
class ConfigRoundTripTest {
    private static final String SECTIONS_IN_ORDER = "(?s)users:\n.*apiKeys:\n.*nodes:\n.*upstreams:\n.*clients:\n.*identities:\n.*"
            + "trustPolicies:\n.*rules:\n.*";

    @TempDir
    Path dir;

    private Path dataDir(String name) { return DataDirCli.fresh(dir, name); }

    private static Result jeton(Path dataDir, String stdin, String... args) { return DataDirCli.run(dataDir, stdin, args); }

    private static Result ok(Path dataDir, String... args) { return DataDirCli.ok(dataDir, null, args); }

    private static Result okWithInput(Path dataDir, String stdin, String... args) { return DataDirCli.ok(dataDir, stdin, args); }

    private static AdminWiring wiring(Path dataDir) { return new AdminWiring(Jetons.config(dataDir, Map.of()), Clock.systemUTC()); }

    /** Every kind of configuration, made with the CLI as an operator would. */
    private void populate(Path a) throws Exception {
        Path upstreamSecret = Files.writeString(dir.resolve("corp.secret"), "upstream-client-secret\n");
        okWithInput(a, "correct horse battery", "user", "add", "alice", "--password-stdin", "--group", "dev,admins", "--name", "Alice A",
                "--email", "alice@example.com", "--email-verified");
        ok(a, "user", "add", "bob");
        ok(a, "user", "disable", "bob");
        ok(a, "apikey", "create", "alice", "--name", "ci", "--scope", "jobs:read,jobs:write", "--expires-in", "90d");
        ok(a, "apikey", "create", "alice"); // no name: exported under its id
        String old = ok(a, "apikey", "create", "bob", "--name", "old", "--json").json().get("id").asText();
        ok(a, "apikey", "revoke", old); // history, not configuration
        ok(a, "node", "add", "n1");
        ok(a, "node", "add", "n2");
        ok(a, "node", "disable", "n2");
        ok(a, "upstream", "add", "corp", "--issuer", "https://login.corp.example", "--client-id", "jeton", "--client-secret-file",
                upstreamSecret.toString(), "--claim-groups", "groups", "--allowed-domain", "corp.example");
        ok(a, "client", "add", "ci", "--grant", "client_credentials", "--scope", "registry:pull", "--audience", "https://api",
                "--access-ttl", "10m", "--auth-method", "client_secret_jwt");
        ok(a, "client", "add", "web", "--grant", "authorization_code,refresh_token", "--scope", "openid,profile", "--redirect-uri",
                "https://app.example/cb", "--id-token-alg", "ES256", "--no-first-party", "--post-logout-redirect-uri",
                "https://app.example/bye", "--backchannel-logout-uri", "https://app.example/bcl");
        ok(a, "client", "add", "spa", "--public", "--redirect-uri", "https://spa.example/cb", "--refresh-policy", "reusable");
        ok(a, "identity", "add", "builder");
        ok(a, "identity", "assign", "builder", "--node", "n1");
        ok(a, "identity", "add", "sys", "--system-assigned", "--node", "n2");
        ok(a, "trust", "add", "gha", "--issuer", "https://token.actions.githubusercontent.com", "--audience", "jeton", "--subject",
                "repo:acme/app:*", "--claim", "ref=refs/heads/main", "--as", "identity:builder", "--max-ttl", "1h");
        ok(a, "rule", "add", "--subject", "group:dev", "--repo", "team/*", "--actions", "pull,push");
        ok(a, "rule", "add", "--subject", "anonymous", "--repo", "public/*", "--actions", "pull");
    }

    private static String export(Path dataDir) { return ok(dataDir, "export").out(); }

    private static long appliedEvents(Path dataDir) {
        if (!Files.exists(dataDir.resolve("audit.log"))) return 0;
        return AuditTrail.of(dataDir).lines().stream().filter(l -> AuditTrail.has(l, "event", "admin", "subject", "apply")).count();
    }

    /** The exported file plus the one secret apply cannot create an upstream without. */
    private Path applicable(String exported, String name) throws Exception {
        return Files.writeString(dir.resolve(name), exported.replace("  scope:", "  clientSecretFile: " + dir.resolve("corp.secret") + "\n  scope:"));
    }

    @Test
    void everyKindRoundTripsByteForByteIntoAnEmptyStoreAndASecondApplyChangesNothing() throws Exception {
        Path a = dataDir("a"), b = dataDir("b");
        populate(a);
        String exported = export(a);
        assertThat(exported).matches(SECTIONS_IN_ORDER)
                .contains("- user: alice\n  name: ci\n  scopes:\n  - jobs:read\n  - jobs:write\n  expiresAt: ", "firstParty: false",
                        "postLogoutRedirectUris:\n  - https://app.example/bye", "backchannelLogoutUri: https://app.example/bcl",
                        "authMethod: client_secret_jwt", "idTokenAlg: ES256", "systemNode: n2", "ref: refs/heads/main", "email: alice@example.com")
                .doesNotContain("name: old", "correct horse", "upstream-client-secret", "sk-occam-", "hash");

        Path file = applicable(exported, "jeton.yaml");
        Result applied = ok(b, "apply", "-f", file.toString());
        assertThat(applied.out()).contains("+ api key alice ci", "api key alice ci (shown once): sk-occam-",
                "client ci secret (shown once): ", "node n1 enrolment token (shown once): ");
        assertThat(export(b)).isEqualTo(exported);

        long events = appliedEvents(b);
        assertThat(ok(b, "apply", "-f", file.toString()).out()).isEqualTo("no changes\n");
        assertThat(ok(b, "diff", "-f", file.toString(), "--prune").out()).isEqualTo("no changes\n");
        assertThat(appliedEvents(b)).as("a second apply audits nothing").isEqualTo(events);
        assertThat(export(b)).isEqualTo(exported);
    }

    @Test
    void pruneRemovesExactlyWhatTheFileLeavesOut() throws Exception {
        Path a = dataDir("a");
        populate(a);
        DesiredConfig all = ConfigYaml.parse(export(a), "export");
        String unnamedKey = all.apiKeys().stream().filter(k -> !k.name().equals("ci")).findFirst().orElseThrow().name();
        DesiredConfig kept = new DesiredConfig(all.users(),
                all.apiKeys().stream().filter(k -> k.name().equals("ci")).toList(),
                all.nodes().stream().filter(n -> n.name().equals("n1")).toList(), List.of(),
                all.clients().stream().filter(c -> !c.clientId().equals("spa")).toList(),
                all.identities().stream().filter(i -> i.name().equals("builder")).toList(), List.of(),
                all.rules().stream().filter(r -> r.subject().equals("group:dev")).toList());
        String wanted = ConfigYaml.write(kept);
        Path file = Files.writeString(dir.resolve("kept.yaml"), wanted);

        Result without = ok(a, "diff", "-f", file.toString());
        assertThat(without.out()).as("without --prune nothing goes").isEqualTo("no changes\n");
        Result diff = jeton(a, null, "diff", "-f", file.toString(), "--prune");
        assertThat(diff.code()).isEqualTo(ConfigAsCodeCommands.CHANGES);
        assertThat(diff.lines()).containsExactlyInAnyOrder("- api key alice " + unnamedKey, "- node n2", "- upstream corp", "- client spa",
                "- identity sys", "- trust policy gha", "- rule anonymous public/*");

        ok(a, "apply", "-f", file.toString(), "--prune");
        assertThat(export(a)).isEqualTo(wanted);
        assertThat(ok(a, "diff", "-f", file.toString(), "--prune").out()).isEqualTo("no changes\n");
        try (AdminWiring w = wiring(a)) {
            assertThat(w.apiKeys().list("alice")).filteredOn(k -> k.name() == null).singleElement()
                    .as("a pruned API key is revoked, kept in the history").extracting(ApiKey::revokedAt).isNotNull();
        }
        assertThat(AuditTrail.of(a).lines()).anyMatch(l -> AuditTrail.has(l, "subject", "apply", "action", "apikey.revoke"))
                .anyMatch(l -> AuditTrail.has(l, "subject", "apply", "action", "trust.remove"));
    }

    @Test
    void anApplyRefusedLateChangesNothingThatCameBeforeIt() throws Exception {
        Path a = dataDir("a");
        populate(a);
        String before = export(a);
        long events = appliedEvents(a);
        // Planned in this order: the user, its key and the node would be made before the client is refused.
        String yaml = Files.readString(applicable(before, "x.yaml"))
                .replace("users:\n", "users:\n- name: carol\n  groups: [ops]\n")
                .replace("\napiKeys:\n", "\napiKeys:\n- user: carol\n  name: deploy\n  scopes: [jobs:read]\n")
                .replace("\nnodes:\n", "\nnodes:\n- name: n3\n")
                .replace("\nclients:\n", "\nclients:\n- clientId: late\n  grants: [client_credentials]\n  secretFile: " + dir.resolve("missing") + "\n");
        Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);

        Result diff = jeton(a, null, "diff", "-f", file.toString());
        assertThat(diff.code()).as("diff reads no secret of what it would create").isEqualTo(ConfigAsCodeCommands.CHANGES);
        assertThat(diff.out()).contains("+ user carol", "+ api key carol deploy", "+ node n3", "+ client late");
        Result r = jeton(a, null, "apply", "-f", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("jeton: ").contains("client late: secretFile: cannot read " + dir.resolve("missing"));
        assertThat(r.out()).doesNotContain("shown once");
        assertThat(export(a)).isEqualTo(before);
        assertThat(appliedEvents(a)).isEqualTo(events);
        try (AdminWiring w = wiring(a)) {
            assertThat(w.accounts().user("carol")).isEmpty();
            assertThat(w.nodes().list()).noneMatch(n -> n.name().equals("n3"));
        }
    }

    @Test
    void anApiKeyIsCreatedWithItsReferencedValueUpdatedInPlaceReKeyedAndNeverShownOrExported() throws Exception {
        Path a = dataDir("a");
        ok(a, "user", "add", "alice");
        String first = "sk-occam-" + "1".repeat(40), second = "sk-occam-" + "2".repeat(40);
        Path valueFile = Files.writeString(dir.resolve("ci.key"), first + "\n");
        String entry = "apiKeys:\n- user: alice\n  name: ci\n  scopes: [jobs:read]\n  secretFile: " + valueFile + "\n";
        Path file = Files.writeString(dir.resolve("keys.yaml"), entry);

        Result created = ok(a, "apply", "-f", file.toString());
        assertThat(created.out()).contains("+ api key alice ci").doesNotContain("shown once", first);
        String id;
        try (AdminWiring w = wiring(a)) {
            id = w.apiKeys().active("alice", "ci").orElseThrow().id();
            assertThat(w.apiKeys().secretIs(id, new Secret(first))).isTrue();
        }
        assertThat(export(a)).contains("- user: alice\n  name: ci\n  scopes:\n  - jobs:read\n").doesNotContain(first, "secretFile");
        assertThat(ok(a, "apply", "-f", file.toString()).out()).isEqualTo("no changes\n");

        Files.writeString(file, entry.replace("[jobs:read]", "[jobs:read, jobs:write]\n  expiresAt: 2099-01-01T00:00:00Z"));
        Result diff = jeton(a, null, "diff", "-f", file.toString());
        assertThat(diff.code()).isEqualTo(ConfigAsCodeCommands.CHANGES);
        assertThat(diff.out()).contains("~ api key alice ci", "scopes: [jobs:read] -> [jobs:read, jobs:write]", "expiresAt: null -> 2099-01-01T00:00:00Z");
        ok(a, "apply", "-f", file.toString());
        try (AdminWiring w = wiring(a)) {
            ApiKey key = w.apiKeys().active("alice", "ci").orElseThrow();
            assertThat(key.id()).as("updated in place").isEqualTo(id);
            assertThat(key.scopes()).containsExactly("jobs:read", "jobs:write");
            assertThat(w.apiKeys().secretIs(id, new Secret(first))).as("an update keeps the value").isTrue();
        }

        Files.writeString(valueFile, second);
        Result rekey = jeton(a, null, "diff", "-f", file.toString());
        assertThat(rekey.out()).contains("~ api key alice ci", "secret: another -> the content of " + valueFile).doesNotContain(first, second);
        ok(a, "apply", "-f", file.toString());
        try (AdminWiring w = wiring(a)) {
            assertThat(w.apiKeys().secretIs(id, new Secret(second))).isTrue();
            assertThat(w.apiKeys().secretIs(id, new Secret(first))).as("the old value stops working").isFalse();
        }
        assertThat(ok(a, "diff", "-f", file.toString()).out()).isEqualTo("no changes\n");
        assertThat(AuditTrail.of(a).lines()).anyMatch(l -> AuditTrail.has(l, "subject", "apply", "action", "apikey.update"))
                .anyMatch(l -> AuditTrail.has(l, "subject", "apply", "action", "apikey.set_secret"));
        AuditTrail.of(a).assertContainsNone(List.of(first, second));

        Result duplicate = jeton(a, null, "apikey", "create", "alice", "--name", "ci");
        assertThat(duplicate.code()).isEqualTo(1);
        assertThat(duplicate.err()).contains("user alice already has an active API key named 'ci'");
        Files.writeString(valueFile, "sk-occam-short");
        Result weak = jeton(a, null, "apply", "-f", file.toString());
        assertThat(weak.code()).isEqualTo(1);
        assertThat(weak.err()).contains("api key alice ci: an API key must be at least 32 characters").doesNotContain("sk-occam-short");
        Files.writeString(file, "apiKeys:\n- user: alice\n  name: ci\n  expiresAt: yesterday\n");
        Result badTime = jeton(a, null, "diff", "-f", file.toString());
        assertThat(badTime.code()).isEqualTo(1);
        assertThat(badTime.err()).contains("api key alice ci: expiresAt 'yesterday' is not an ISO-8601 instant");
        Files.writeString(file, "apiKeys:\n- user: nobody\n  name: ci\n");
        Result noOwner = jeton(a, null, "apply", "-f", file.toString());
        assertThat(noOwner.code()).isEqualTo(1);
        assertThat(noOwner.err()).contains("api key nobody ci: no user named 'nobody'");
    }
}
