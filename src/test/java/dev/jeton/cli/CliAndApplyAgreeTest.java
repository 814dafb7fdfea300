package dev.jeton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.AdminWiring;
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
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same changes made with the CLI's commands and with {@code jeton apply} leave the same
 * store and the same audit events (who made them aside): both go through AdminChanges.
 */
class CliAndApplyAgreeTest {
    /** Actions whose target is a generated id (a rule's, a key's), different in each store. */
    private static final Set<String> TARGET_IS_AN_ID = Set.of("rule.add", "apikey.create");

    @TempDir
    Path dir;

    private static Result ok(Path dataDir, String stdin, String... args) { return DataDirCli.ok(dataDir, stdin, args); }

    /**
     * The admin events of a store's audit log as "action target: detail", sorted; a generated id as
     * a target reads "(id)", and an instant in a detail "(time)" (the two stores are made seconds apart).
     */
    private static List<String> changes(Path dataDir) {
        return AuditTrail.of(dataDir).lines().stream().filter(l -> AuditTrail.has(l, "event", "admin"))
                .map(CliAndApplyAgreeTest::change).sorted().toList();
    }

    private static String change(JsonNode l) {
        String action = l.path("action").asText();
        return action + " " + (TARGET_IS_AN_ID.contains(action) ? "(id)" : l.path("target").asText()) + ": "
                + l.path("detail").asText("").replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "(time)");
    }

    @Test
    void theSameChangesByTheCliAndByApplyLeaveTheSameStoreAndTheSameAuditEvents() throws Exception {
        Path byCli = DataDirCli.fresh(dir, "cli"), byApply = DataDirCli.fresh(dir, "apply");
        String password = "correct horse battery staple", key = "sk-occam-" + "7".repeat(40);
        Path passwordFile = Files.writeString(dir.resolve("alice.password"), password);
        Path keyFile = Files.writeString(dir.resolve("ci.key"), key);

        ok(byCli, password, "user", "add", "alice", "--password-stdin", "--group", "dev", "--email", "alice@example.com", "--email-verified");
        ok(byCli, null, "user", "add", "bob");
        ok(byCli, null, "user", "disable", "bob");
        ok(byCli, null, "client", "add", "web", "--grant", "authorization_code,refresh_token", "--scope", "openid", "--redirect-uri",
                "https://app.example/cb", "--id-token-alg", "ES256", "--no-first-party", "--post-logout-redirect-uri", "https://app.example/bye");
        ok(byCli, null, "apikey", "create", "alice", "--name", "ci", "--scope", "jobs:read");
        ok(byCli, null, "node", "add", "n1");
        ok(byCli, null, "identity", "add", "builder");
        ok(byCli, null, "identity", "assign", "builder", "--node", "n1");
        ok(byCli, null, "trust", "add", "gha", "--issuer", "https://token.actions.githubusercontent.com", "--audience", "jeton",
                "--subject", "repo:acme/app:*", "--as", "identity:builder", "--max-ttl", "1h");
        ok(byCli, null, "rule", "add", "--subject", "group:dev", "--repo", "team/*", "--actions", "pull,push");

        Path file = Files.writeString(dir.resolve("same.yaml"), """
                users:
                - name: alice
                  groups: [dev]
                  email: alice@example.com
                  emailVerified: true
                  passwordFile: %s
                - name: bob
                  disabled: true
                apiKeys:
                - user: alice
                  name: ci
                  scopes: [jobs:read]
                  secretFile: %s
                nodes:
                - name: n1
                clients:
                - clientId: web
                  grants: [authorization_code, refresh_token]
                  scopes: [openid]
                  redirectUris: [https://app.example/cb]
                  idTokenAlg: ES256
                  firstParty: false
                  postLogoutRedirectUris: [https://app.example/bye]
                identities:
                - name: builder
                  nodes: [n1]
                trustPolicies:
                - name: gha
                  issuer: https://token.actions.githubusercontent.com
                  audience: jeton
                  subject: repo:acme/app:*
                  as: identity:builder
                  maxTtl: PT1H
                rules:
                - subject: group:dev
                  repository: team/*
                  actions: [pull, push]
                """.formatted(passwordFile, keyFile));
        ok(byApply, null, "apply", "-f", file.toString());

        assertThat(ok(byApply, null, "export").out()).isEqualTo(ok(byCli, null, "export").out());
        assertThat(changes(byApply)).isEqualTo(changes(byCli)).contains("client.oidc web: third-party (consent); post-logout https://app.example/bye",
                "client.update web: id token ES256", "user.update alice: profile claims", "apikey.create (id): for alice; name ci; scopes jobs:read");
        assertThat(AuditTrail.of(byApply).lines()).filteredOn(l -> AuditTrail.has(l, "event", "admin"))
                .allMatch(l -> AuditTrail.has(l, "subject", "apply"));
        assertThat(AuditTrail.of(byCli).lines()).filteredOn(l -> AuditTrail.has(l, "event", "admin"))
                .noneMatch(l -> AuditTrail.has(l, "subject", "apply"));
        try (AdminWiring w = new AdminWiring(Jetons.config(byApply, Map.of()), Clock.systemUTC())) {
            String id = w.apiKeys().active("alice", "ci").orElseThrow().id();
            assertThat(w.apiKeys().secretIs(id, new Secret(key))).as("the referenced value is the key").isTrue();
        }
    }
}
