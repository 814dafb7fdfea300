package dev.jeton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.Jeton;
import dev.jeton.config.JetonConfig;
import dev.jeton.model.StoredKey;
import dev.jeton.store.Databases;
import dev.jeton.store.Store;
import dev.jeton.store.jdbc.JdbcStore;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.InProcessCli.Result;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI in-process, on the same data directory as a running server. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The command with this test's data directory appended, except for --help. */
    private Result run(String stdin, String... args) {
        if (args.length > 0 && args[args.length - 1].equals("--help")) return InProcessCli.run(stdin, args);
        String[] withDir = new String[args.length + 2];
        System.arraycopy(args, 0, withDir, 0, args.length);
        withDir[args.length] = "--data-dir";
        withDir[args.length + 1] = dir.toString();
        return InProcessCli.run(stdin, withDir);
    }

    @Test
    void commandLineWhenServeThenSameHelpAndErrorsAsTheFullCommandTree() {
        for (String[] args : new String[][] {{"serve", "--help"}, {"serve", "--bogus"}, {"serve", "--port", "x"}}) {
            StringWriter fastOut = new StringWriter(), fullOut = new StringWriter();
            CommandLine fast = Jeton.commandLine(args);
            CommandLine full = Jeton.commandLine();
            fast.setOut(new PrintWriter(fastOut, true));
            fast.setErr(new PrintWriter(fastOut, true));
            full.setOut(new PrintWriter(fullOut, true));
            full.setErr(new PrintWriter(fullOut, true));
            assertThat(fast.execute(args)).isEqualTo(full.execute(args));
            assertThat(fastOut.toString()).isEqualTo(fullOut.toString()).contains("Usage: jeton serve");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "init", "serve", "config", "user", "user add", "user update", "user list", "user disable", "user passwd", "client",
            "client add", "client update", "client list", "client rotate-secret", "client delete", "apikey", "apikey create", "apikey list", "apikey revoke", "identity", "identity add", "identity list", "identity assign", "identity unassign", "identity delete", "rule", "rule add", "rule list", "rule delete", "registry", "registry cert", "key", "key list", "key rotate", "token",
            "token revoke", "node", "node add", "node list", "node show", "node disable", "node enable", "node remove", "export", "diff", "apply"})
    void helpWhenAskedOnEveryCommandThenDescribesIt(String command) {
        String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");
        Result r = run(null, args);
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: jeton").contains("-h, --help");
        boolean group = command.isEmpty() || !command.contains(" ") && !java.util.Set.of("init", "serve", "config").contains(command);
        if (!group) assertThat(r.out()).contains("--data-dir");
    }

    @Test
    void initWhenRunTwiceThenSeedsOnceAndPrintsSecretsOnce() throws Exception {
        Result first = run(null, "init", "--json");
        assertThat(first.code()).isZero();
        assertThat(first.json().get("client_id").asText()).isEqualTo("demo");
        assertThat(first.json().get("client_secret").asText()).hasSize(43);
        Result second = run(null, "init");
        assertThat(second.out()).startsWith("already initialised")
                .doesNotContain(first.json().get("client_secret").asText()).doesNotContain(first.json().get("admin_password").asText());
        assertThat(Files.exists(dir.resolve("jeton.db"))).isTrue();
        assertThat(Files.exists(dir.resolve("master.key"))).isTrue();
    }

    @Test
    void userListWhenDataDirIsFreshThenReadsTheStoreAndMakesNoKey() throws Exception {
        JetonConfig config = Jetons.config(dir, Map.of()); // on PostgreSQL, names the test's database in jeton.conf for the CLI too
        Result listed = run(null, "user", "list", "--json");
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out()).isEqualTo("[]\n");
        assertThat(dir.resolve("master.key")).doesNotExist();
        assertThat(signingKeys(config)).isEmpty();

        assertThat(run(null, "init").code()).isZero();
        assertThat(dir.resolve("master.key")).exists();
        // One cycle for signing-algorithm (ES256) and one for RS256 ID tokens.
        assertThat(signingKeys(config)).extracting(k -> k.state().name()).containsExactlyInAnyOrder("ACTIVE", "NEXT", "ACTIVE", "NEXT");
    }

    private static java.util.List<StoredKey> signingKeys(JetonConfig config) {
        try (Store store = new JdbcStore(Databases.open(config.store(), config.storePassword(), 1, config.databaseFile()))) {
            return store.keys().keys();
        }
    }

    /** How often a server reads the store's change counters here; the tests move its clock by this much instead of waiting. */
    private static final Duration RECHECK = Duration.ofSeconds(5);

    /** A server on a clock that stands still: it sees another process's changes once the test moves the clock a recheck on. */
    private Jetons.Running serverWithRecheck(MutableClock clock) {
        return Jetons.start(dir, clock, Map.of(dev.jeton.config.Setting.RECHECK_INTERVAL, "5s"));
    }

    @Test
    void commandsWhenServerRunsOnTheSameDatabaseThenTheServerSeesTheirChanges() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        try (Jetons.Running server = serverWithRecheck(clock)) {
            Result client = run(null, "client", "add", "ci-bot", "--scope", "read,write", "--json");
            assertThat(client.code()).as(client.err()).isZero();
            String secret = client.json().get("client_secret").asText();
            assertThat(client.json().get("client_id").asText()).isEqualTo("ci-bot");
            // A client the server never saw is looked up at once.
            assertThat(Http.postForm(server.baseUrl() + "/oidc/token", "grant_type=client_credentials&scope=write",
                    Http.basic("ci-bot", secret)).statusCode()).isEqualTo(200);

            Result rotated = run(null, "client", "rotate-secret", "ci-bot", "--json");
            String newSecret = rotated.json().get("client_secret").asText();
            clock.advance(RECHECK);
            assertThat(Http.postForm(server.baseUrl() + "/oidc/token", "grant_type=client_credentials",
                    Http.basic("ci-bot", secret)).statusCode()).isEqualTo(401);
            assertThat(Http.postForm(server.baseUrl() + "/oidc/token", "grant_type=client_credentials",
                    Http.basic("ci-bot", newSecret)).statusCode()).isEqualTo(200);

            assertThat(run("s3cret-password\n", "user", "add", "alice@example.com", "--password-stdin", "--group", "dev").code()).isZero();
            assertThat(Http.postForm(server.baseUrl() + "/oidc/token",
                    "grant_type=password&username=alice%40example.com&password=s3cret-password",
                    Http.basic("demo", server.demoSecret())).statusCode()).isEqualTo(200);
            assertThat(run("another-password\n", "user", "passwd", "alice@example.com").code()).isZero();
            assertThat(Http.postForm(server.baseUrl() + "/oidc/token",
                    "grant_type=password&username=alice%40example.com&password=s3cret-password",
                    Http.basic("demo", server.demoSecret())).statusCode()).isEqualTo(400);
            assertThat(run(null, "user", "disable", "alice@example.com").code()).isZero();
            JsonNode users = run(null, "user", "list", "--json").json();
            assertThat(users).anySatisfy(u -> {
                assertThat(u.get("name").asText()).isEqualTo("alice@example.com");
                assertThat(u.get("disabled").asBoolean()).isTrue();
                assertThat(u.get("groups").get(0).asText()).isEqualTo("dev");
            });

            assertThat(run(null, "client", "list", "--json").json()).extracting(n -> n.get("client_id").asText())
                    .contains("demo", "ci-bot");
            assertThat(run(null, "client", "list", "--json").out()).doesNotContain(newSecret);
            assertThat(run(null, "client", "delete", "ci-bot").code()).isZero();
            clock.advance(RECHECK);
            assertThat(Http.postForm(server.baseUrl() + "/oidc/token", "grant_type=client_credentials",
                    Http.basic("ci-bot", newSecret)).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void userAndClientWhenOidcOptionsGivenThenStoredAndBadOnesRefusedWithAReason() throws Exception {
        assertThat(run("pw-for-ada-123\n", "user", "add", "ada", "--password-stdin", "--email", "ada@example.org", "--email-verified",
                "--name", "Ada Lovelace").code()).isZero();
        JsonNode profile = run(null, "user", "update", "ada", "--family-name", "Lovelace", "--json").json();
        assertThat(profile.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(profile.get("family_name").asText()).isEqualTo("Lovelace");
        assertThat(profile.get("email_verified").asBoolean()).isTrue();
        assertThat(run(null, "user", "update", "ada", "--email", "ada@new.example", "--json").json().get("email_verified").asBoolean())
                .as("a new address is unverified").isFalse();
        assertThat(run(null, "user", "add", "bob", "--email", "not-an-address").code()).isNotZero();

        var key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = Files.writeString(dir.resolve("public.jwks"), new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString());
        Path leaked = Files.writeString(dir.resolve("private.jwks"), new com.nimbusds.jose.jwk.JWKSet(key).toString(false));
        assertThat(run(null, "client", "add", "batch", "--auth-method", "private_key_jwt", "--jwks-file", jwks.toString(),
                "--id-token-alg", "es256").code()).isZero();
        Result privateKeys = run(null, "client", "add", "leaky", "--auth-method", "private_key_jwt", "--jwks-file", leaked.toString());
        assertThat(privateKeys.code()).isNotZero();
        assertThat(privateKeys.err()).contains("private key");
        assertThat(run(null, "client", "list", "--json").json()).extracting(n -> n.get("client_id").asText()).doesNotContain("leaky");
        Result hmac = run(null, "client", "update", "batch", "--auth-method", "client_secret_jwt");
        assertThat(hmac.code()).as(hmac.err()).isZero();
        assertThat(hmac.out()).contains("rotate-secret batch");
        assertThat(run(null, "client", "rotate-secret", "batch").code()).isZero();
        assertThat(run(null, "client", "update", "batch", "--auth-method", "client_secret_jwt").out()).doesNotContain("rotate-secret");
        Result publicHmac = run(null, "client", "add", "spa", "--public", "--redirect-uri", "http://127.0.0.1/cb", "--auth-method", "client_secret_jwt");
        assertThat(publicHmac.code()).isNotZero();
        assertThat(publicHmac.err()).contains("a client with a secret");
        assertThat(run(null, "client", "update", "batch", "--id-token-alg", "HS256").err()).contains("RS256 or ES256");
        assertThat(run(null, "client", "update", "batch", "--jwks-uri", "https://batch.example/jwks.json").code()).isZero();
    }

    @Test
    void keyRotateWhenRunThenListShowsStatesAndServerSignsWithNewKeyAfterReload() throws Exception {
        try (Jetons.Running server = Jetons.start(dir, Clock.systemUTC(), Map.of())) {
            String next = null;
            for (JsonNode k : run(null, "key", "list", "--json").json()) {
                // Each algorithm has its own cycle; access tokens sign with signing-algorithm's (ES256).
                if (k.get("state").asText().equals("next") && k.get("alg").asText().equals("ES256")) next = k.get("kid").asText();
            }
            Result rotated = run(null, "key", "rotate", "--json");
            assertThat(rotated.json().get("active_kid").asText()).isEqualTo(next);
            assertThat(run(null, "key", "list").out()).contains("retiring").contains("active").contains("next");
            server.wiring().admin().keys().reload();
            String token = JSON.readTree(Http.postForm(server.baseUrl() + "/oidc/token", "grant_type=client_credentials",
                    Http.basic("demo", server.demoSecret())).body()).get("access_token").asText();
            assertThat(com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getKeyID()).isEqualTo(next);
        }
    }

    @Test
    void tokenRevokeWhenRefreshTokenGivenOnStdinThenFamilyRevoked() throws Exception {
        try (Jetons.Running server = Jetons.start(dir, Clock.systemUTC(), Map.of())) {
            JsonNode login = JSON.readTree(Http.postForm(server.baseUrl() + "/oidc/token",
                    "grant_type=password&username=admin&password=" + server.adminPassword(),
                    Http.basic("demo", server.demoSecret())).body());
            Result revoked = run(login.get("refresh_token").asText() + "\n", "token", "revoke", "-");
            assertThat(revoked.code()).isZero();
            assertThat(revoked.out()).isEqualTo("revoked\n");
            assertThat(Http.postForm(server.baseUrl() + "/oidc/token",
                    "grant_type=refresh_token&refresh_token=" + login.get("refresh_token").asText(),
                    Http.basic("demo", server.demoSecret())).statusCode()).isEqualTo(400);
            assertThat(run(null, "token", "revoke", "unknown-token").code()).isEqualTo(3);
        }
    }

    @Test
    void apikeyWhenCreatedThenShownOnceWorksAtOccamAndStopsWhenRevoked() throws Exception {
        try (Jetons.Running server = Jetons.start(dir, Clock.systemUTC(), Map.of())) {
            Result created = run(null, "apikey", "create", "admin", "--scope", "jobs:read", "--expires-in", "30d", "--json");
            assertThat(created.code()).as(created.err()).isZero();
            String key = created.json().get("key").asText();
            String id = created.json().get("id").asText();
            assertThat(key).startsWith("sk-occam-");
            HttpResponse<String> token = Http.get(server.baseUrl() + "/auth/access-token?key=" + key, null);
            assertThat(token.statusCode()).isEqualTo(200);

            Result listed = run(null, "apikey", "list", "--json");
            assertThat(listed.out()).doesNotContain(key);
            assertThat(listed.json().get(0).get("user").asText()).isEqualTo("admin");
            assertThat(listed.json().get(0).get("scopes").get(0).asText()).isEqualTo("jobs:read");

            assertThat(run(null, "apikey", "revoke", id).code()).isZero();
            assertThat(Http.get(server.baseUrl() + "/auth/access-token?key=" + key, null).statusCode()).isEqualTo(400);
            assertThat(run(null, "apikey", "create", "ghost").err()).isEqualTo("jeton: no user named 'ghost'\n");
        }
    }

    @Test
    void ruleWhenAddedByTheCliThenARunningServerGrantsItWithinTheRecheckInterval() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        try (Jetons.Running server = serverWithRecheck(clock)) {
            assertThat(run("erin-password\n", "user", "add", "erin", "--password-stdin").code()).isZero();
            String url = server.baseUrl() + "/oauth2/token?service=reg&scope=repository:erin/app:pull,push";
            String before = Http.get(url, Http.basic("erin", "erin-password")).body();
            assertThat(before).contains("\"token\"");
            assertThat(payload(before).get("access").get(0).get("actions").size()).isZero();

            Result added = run(null, "rule", "add", "--subject", "user:erin", "--repo", "erin/*", "--actions", "pull", "--json");
            assertThat(added.code()).as(added.err()).isZero();
            String id = added.json().get("id").asText();
            clock.advance(RECHECK);
            assertThat(payload(Http.get(url, Http.basic("erin", "erin-password")).body()).get("access").get(0).get("actions").toString())
                    .isEqualTo("[\"pull\"]");
            assertThat(run(null, "rule", "list").out()).contains("user:erin").contains("erin/*");

            assertThat(run(null, "rule", "delete", id).code()).isZero();
            clock.advance(RECHECK);
            assertThat(payload(Http.get(url, Http.basic("erin", "erin-password")).body()).get("access").get(0).get("actions").size()).isZero();
            assertThat(run(null, "rule", "add", "--subject", "anonymous", "--repo", "x", "--actions", "push").err())
                    .contains("anonymous rules may only allow pull");
            assertThat(run(null, "rule", "add", "--subject", "robot:x", "--repo", "x", "--actions", "pull").err())
                    .contains("subject must be user:NAME");
        }
    }

    private static JsonNode payload(String tokenResponse) throws Exception {
        String jwt = JSON.readTree(tokenResponse).get("token").asText();
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    void registryCertWhenWrittenThenHoldsEveryPublishedKey() throws Exception {
        run(null, "init");
        Path bundle = dir.resolve("bundle.pem");
        assertThat(run(null, "registry", "cert", "--out", bundle.toString()).code()).isZero();
        String pem = Files.readString(bundle);
        // next and active of ES256 (access and registry tokens) and of RS256 (ID tokens): four certificates.
        assertThat(pem.split("BEGIN CERTIFICATE", -1)).hasSize(5);
        assertThat(run(null, "registry", "cert").out()).isEqualTo(pem);
    }

    @Test
    void identityWhenAddedAndAssignedByTheCliThenTheNodesImdsServesIt() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        try (Jetons.Running server = serverWithRecheck(clock)) {
            Result added = run(null, "identity", "add", "builder", "--json");
            assertThat(added.code()).as(added.err()).isZero();
            String clientId = added.json().get("client_id").asText();
            assertThat(added.json().get("object_id").asText()).isNotBlank();
            assertThat(added.json().get("resource_id").asText())
                    .endsWith("/providers/Microsoft.ManagedIdentity/userAssignedIdentities/builder");
            String url = server.imdsUrl() + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://x&client_id=" + clientId;
            java.util.function.Supplier<HttpResponse<String>> ask = () -> Http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url)).header("Metadata", "true").build());
            assertThat(ask.get().body()).contains("Identity not found");

            assertThat(run(null, "identity", "assign", "builder", "--node", "test-node").code()).isZero();
            clock.advance(RECHECK);
            assertThat(ask.get().statusCode()).isEqualTo(200);
            assertThat(run(null, "identity", "list").out()).contains("builder").contains("test-node");

            assertThat(run(null, "identity", "unassign", "builder", "--node", "test-node").code()).isZero();
            clock.advance(RECHECK);
            assertThat(ask.get().body()).contains("Identity not found");
            Result system = run(null, "identity", "add", "vm", "--system-assigned", "--node", "test-node", "--json");
            assertThat(system.json().get("system_assigned_node").asText()).isEqualTo("test-node");
            assertThat(run(null, "identity", "add", "vm2", "--system-assigned", "--node", "test-node").err()).contains("already exists");
            assertThat(run(null, "identity", "delete", "builder").code()).isZero();
        }
    }

    @Test
    void nodeWhenAddedListedDisabledAndRemovedByTheCliThenEachChangeIsAuditedAndTheTokenShownOnce() throws Exception {
        Result added = run(null, "node", "add", "gpu-7", "--json");
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.json().get("node").asText()).isEqualTo("gpu-7");
        String token = added.json().get("enrol_token").asText();
        assertThat(token).startsWith("jeton-enrol-");
        assertThat(run(null, "node", "add", "gpu-7").err()).contains("already exists");
        Result shown = run(null, "node", "show", "gpu-7", "--json");
        assertThat(shown.json().get("state").asText()).isEqualTo("enabled");
        assertThat(shown.json().get("enrolled").asBoolean()).isFalse();
        assertThat(shown.out()).doesNotContain(token);
        assertThat(run(null, "node", "disable", "gpu-7").code()).isZero();
        assertThat(run(null, "node", "list").out()).contains("gpu-7").contains("disabled");
        assertThat(run(null, "node", "list", "--json").json().get(0).get("state").asText()).isEqualTo("disabled");
        assertThat(run(null, "node", "remove", "gpu-7").code()).isZero();
        assertThat(run(null, "node", "show", "gpu-7").err()).contains("no node named gpu-7");
        assertThat(run(null, "node", "add", "bad/name").err()).contains("node name");
        AuditTrail audit = AuditTrail.of(dir);
        for (String action : List.of("node.add", "node.disable", "node.remove")) audit.await("event", "admin", "action", action, "target", "gpu-7");
        audit.assertContainsNone(List.of(token));
    }

    @Test
    void agentWhenItsServersAreMissingThenSaysWhatIsNeeded() {
        Result r = run(null, "agent", "--node", "n1");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--server");
        Result help = run(null, "agent", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: jeton agent").contains("--imds-port").contains("--enrol-token-file")
                .contains("--federated-token-file").contains("JETON_AGENT_");
    }

    @Test
    void configWhenPrintedThenShowsSourcesAndNoSecret() throws Exception {
        run(null, "init");
        String masterKey = Files.readString(dir.resolve("master.key")).trim();
        Result r = run(null, "config");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("port").contains("8080").contains("# default").contains("data-dir")
                .contains("master key: (file ").doesNotContain(masterKey);
        assertThat(run(null, "config", "--json").json().get("access-token-ttl").asText()).isEqualTo("15m");
    }

    @Test
    void errorsWhenOperatorMistakesThenOneClearLineAndNonZeroExit() {
        run(null, "init");
        Result dup = run(null, "client", "add", "demo");
        assertThat(dup.code()).isEqualTo(1);
        assertThat(dup.err()).isEqualTo("jeton: client 'demo' already exists\n");
        Result missing = run(null, "user", "disable", "nobody");
        assertThat(missing.err()).isEqualTo("jeton: no user named 'nobody'\n");
        Result weak = run("short\n", "user", "add", "bob", "--password-stdin");
        assertThat(weak.err()).contains("at least 8 characters");
    }
}
