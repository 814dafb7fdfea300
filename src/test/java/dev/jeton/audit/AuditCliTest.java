package dev.jeton.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.Jeton;
import dev.jeton.config.Setting;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.InProcessCli.Result;
import dev.jeton.support.Jetons;
import dev.jeton.support.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Admin changes made by the CLI and by the server itself, and {@code jeton audit tail} reading them back. */
class AuditCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR = System.getProperty("user.name");

    @TempDir
    Path dir;

    /** The command with this test's data directory appended. */
    private Result run(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(dir.toString());
        return InProcessCli.run(stdin, all.toArray(String[]::new));
    }

    @Test
    void adminChangesWhenMadeByTheCliThenEachIsAnAdminLineWithoutSecrets() throws Exception {
        List<String> secrets = new ArrayList<>();
        Jetons.config(dir, Map.of()); // names the test's database in jeton.conf, for the CLI and the server alike
        Result init = run(null, "init", "--json");
        secrets.add(init.json().get("client_secret").asText());
        secrets.add(init.json().get("admin_password").asText());
        try (Jetons.Running server = Jetons.start(dir)) {
            run("correct-horse-battery\n", "user", "add", "ada@example.com", "--password-stdin", "--group", "dev");
            secrets.add("correct-horse-battery");
            run("another-horse-battery\n", "user", "passwd", "ada@example.com");
            secrets.add("another-horse-battery");
            run(null, "user", "disable", "ada@example.com");
            Result client = run(null, "client", "add", "ci-bot", "--scope", "read", "--json");
            secrets.add(client.json().get("client_secret").asText());
            secrets.add(run(null, "client", "rotate-secret", "ci-bot", "--json").json().get("client_secret").asText());
            Result key = run(null, "apikey", "create", "admin", "--scope", "jobs:read", "--json");
            secrets.add(key.json().get("key").asText());
            run(null, "apikey", "revoke", key.json().get("id").asText());
            String ruleId = run(null, "rule", "add", "--subject", "group:dev", "--repo", "dev/*", "--actions", "pull", "--json")
                    .json().get("id").asText();
            run(null, "rule", "delete", ruleId);
            run(null, "identity", "add", "worker");
            run(null, "identity", "assign", "worker", "--node", "node-7");
            String active = run(null, "key", "rotate", "--json").json().get("active_kid").asText();
            run(null, "registry", "cert", "--out", dir.resolve("bundle.pem").toString());
            run(null, "client", "delete", "ci-bot");

            String refresh = JSON.readTree(Http.postForm(server.baseUrl() + "/oidc/token",
                    "grant_type=password&username=admin&password=" + init.json().get("admin_password").asText(),
                    Http.basic("demo", init.json().get("client_secret").asText())).body()).get("refresh_token").asText();
            secrets.add(refresh);
            assertThat(run(refresh + "\n", "token", "revoke", "-").code()).isZero();

            AuditTrail trail = AuditTrail.of(dir);
            String[][] expected = {
                    {"init", dir.toAbsolutePath().toString()},
                    {"user.add", "ada@example.com"}, {"user.passwd", "ada@example.com"}, {"user.disable", "ada@example.com"},
                    {"client.add", "ci-bot"}, {"client.rotate_secret", "ci-bot"}, {"apikey.create", key.json().get("id").asText()},
                    {"apikey.revoke", key.json().get("id").asText()}, {"rule.add", ruleId}, {"rule.delete", ruleId},
                    {"identity.add", "worker"}, {"identity.assign", "worker"}, {"key.rotate", active},
                    {"registry.cert", dir.resolve("bundle.pem").toString()}, {"client.delete", "ci-bot"}};
            for (String[] change : expected) {
                JsonNode line = trail.await("event", "admin", "action", change[0], "target", change[1]);
                assertThat(line.get("dialect").asText()).isEqualTo("cli");
                assertThat(line.get("subject").asText()).isEqualTo(OPERATOR);
                assertThat(line.get("kind").asText()).isEqualTo("operator");
            }
            assertThat(trail.await("action", "rule.add").get("detail").asText()).isEqualTo("group:dev dev/* pull");
            JsonNode revoked = trail.await("event", "revoked", "dialect", "cli");
            assertThat(revoked.get("subject").asText()).isEqualTo("admin");
            assertThat(revoked.get("family_id").asText()).isNotBlank();
            assertThat(revoked.get("detail").asText()).isEqualTo("operator " + OPERATOR + " revoked refresh_family");
            trail.assertContainsNone(secrets);
        }
    }

    @Test
    void keyRotationWhenTheServerRotatesOnScheduleThenItIsAnAdminLineOfTheServer() {
        MutableClock clock = MutableClock.startingNow();
        try (Jetons.Running server = Jetons.start(dir, clock, Map.of(Setting.KEY_ROTATION_INTERVAL, "1h",
                Setting.KEY_RELOAD_INTERVAL, "50ms"))) {
            String before = server.wiring().admin().keys().activeKid().orElseThrow();
            clock.advance(Duration.ofHours(2));
            JsonNode line = AuditTrail.of(dir).await("event", "admin", "action", "key.rotate");
            assertThat(line.get("dialect").asText()).isEqualTo("server");
            assertThat(line.get("kind").asText()).isEqualTo("server");
            assertThat(line.get("detail").asText()).isEqualTo("scheduled rotation");
            assertThat(line.get("target").asText()).isNotEqualTo(before).isEqualTo(server.wiring().admin().keys().activeKid().orElseThrow());
        }
    }

    @Test
    void tailWhenRunThenPrintsLastEventsForPeopleOrAsJsonAndFilters() throws Exception {
        Jetons.config(dir, Map.of());
        Result init = run(null, "init", "--json");
        try (Jetons.Running server = Jetons.start(dir)) {
            String demo = init.json().get("client_secret").asText();
            Http.postForm(server.baseUrl() + "/oidc/token", "grant_type=password&username=bob&password=wrong-password-1",
                    Http.basic("demo", demo));
            Http.postForm(server.baseUrl() + "/oidc/token", "grant_type=client_credentials&scope=read", Http.basic("demo", demo));
            AuditTrail.of(dir).await("event", "issued", "client_id", "demo");
        }
        // Closed: everything is written. The file has init, the refusal, the issue.
        Result human = run(null, "audit", "tail", "-n", "2");
        assertThat(human.code()).as(human.err()).isZero();
        assertThat(human.lines()).hasSize(2);
        assertThat(human.lines().get(0)).matches("\\S+Z refused        oauth2   password user:bob client=demo reason=user.unknown "
                + "\"invalid username or password\" from=127.0.0.1 ua=\"Java-http-client/\\S+\"");
        assertThat(human.lines().get(1)).matches("\\S+Z issued         oauth2   client_credentials client:demo client=demo scope=read "
                + "token=\\S+ from=127.0.0.1 ua=\"Java-http-client/\\S+\"");

        Result json = run(null, "audit", "tail", "--json");
        assertThat(json.lines()).hasSize(3);
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : json.lines()) parsed.add(JSON.readTree(line));
        assertThat(parsed).extracting(n -> n.get("event").asText()).containsExactly("admin", "refused", "issued");
        assertThat(parsed.get(1).get("reason").asText()).isEqualTo("user.unknown");

        Result refusedOnly = run(null, "audit", "tail", "--json", "--event", "refused", "--subject", "bob");
        assertThat(refusedOnly.lines()).hasSize(1);
        assertThat(run(null, "audit", "tail", "--json", "--client", "demo", "--dialect", "oauth2").lines()).hasSize(2);
        assertThat(run(null, "audit", "tail", "--dialect", "registry").lines()).isEmpty();
    }

    @Test
    void tailWhenFollowingThenPrintsEventsAsTheyAreWritten() throws Exception {
        run(null, "init");
        StringWriter out = new StringWriter();
        CommandLine cli = Jeton.commandLine();
        cli.setOut(new PrintWriter(out, true));
        Thread follower = Thread.ofPlatform().start(() ->
                cli.execute("audit", "tail", "-n", "0", "--follow", "--json", "--data-dir", dir.toString()));
        try {
            // The follower takes the end of the file as its start, then rests between reads: once it rests, it is following.
            within(Duration.ofSeconds(20), () -> follower.getState() == Thread.State.TIMED_WAITING, "tail --follow did not start");
            run(null, "identity", "add", "followed-identity");
            // It reads the file every 200 ms.
            within(Duration.ofSeconds(20), () -> out.toString().contains("followed-identity"), "tail --follow printed nothing");
            assertThat(out.toString().lines()).hasSize(1);
            JsonNode line = JSON.readTree(out.toString().lines().findFirst().orElseThrow());
            assertThat(line.get("action").asText()).isEqualTo("identity.add");
            assertThat(line.get("target").asText()).isEqualTo("followed-identity");
            assertThat(out.toString()).doesNotContain("\"init\""); // -n 0: nothing from before
        } finally {
            follower.interrupt();
            follower.join();
        }
    }

    /** Polls a thread of this test's own (the follower) until the condition holds, for at most {@code limit}. */
    private static void within(Duration limit, java.util.function.BooleanSupplier condition, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(failure).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void rotationWhenTheFileGrowsThenKeepsConfiguredFilesAndTailReadsAcrossThem() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("jeton.conf"), "audit-max-size = 1k\naudit-keep = 2\n");
        run(null, "init");
        for (int i = 0; i < 12; i++) run(null, "identity", "add", "identity-" + i);
        // Each line is about 200 bytes: five fit in 1k, so twelve changes plus init fill three files, and
        // with audit-keep = 2 nothing older has to go yet.
        assertThat(Files.exists(dir.resolve("audit.log.1"))).isTrue();
        assertThat(Files.exists(dir.resolve("audit.log.2"))).isTrue();
        for (int i = 12; i < 30; i++) run(null, "identity", "add", "identity-" + i);
        assertThat(Files.exists(dir.resolve("audit.log.3"))).as("audit-keep = 2 keeps two rotated files").isFalse();
        for (String name : List.of("audit.log", "audit.log.1", "audit.log.2")) {
            assertThat(Files.size(dir.resolve(name))).as(name).isLessThanOrEqualTo(1024);
        }
        Result all = run(null, "audit", "tail", "-n", "100", "--json");
        List<String> targets = new ArrayList<>();
        for (String line : all.lines()) targets.add(JSON.readTree(line).get("target").asText());
        // The newest survive, oldest first and without a gap, across the rotated files and the current one.
        assertThat(targets).isNotEmpty().endsWith("identity-29");
        int first = Integer.parseInt(targets.getFirst().substring("identity-".length()));
        List<String> expected = new ArrayList<>();
        for (int i = first; i < 30; i++) expected.add("identity-" + i);
        assertThat(targets).isEqualTo(expected);
        assertThat(AuditTrail.of(dir).lines()).hasSize(targets.size());
    }

    @Test
    void helpWhenAskedThenDescribesTailAndItsFilters() {
        StringWriter out = new StringWriter();
        CommandLine cli = Jeton.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("audit", "tail", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: jeton audit tail", "--follow", "--json", "--subject", "--client", "--event",
                "--dialect", "-n=N", "--data-dir");
        assertThat(Jeton.commandLine().execute("audit", "--help")).isZero();
    }

    @Test
    void tailWhenAuditLogIsOffThenSaysThereIsNoFile() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("jeton.conf"), "audit-log = off\n");
        run(null, "init");
        assertThat(Files.exists(dir.resolve("audit.log"))).isFalse();
        Result r = run(null, "audit", "tail");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("jeton: audit-log is off: there is no audit file to read\n");
    }

    @Test
    void settingsWhenMistypedThenClearErrorAtStart() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("jeton.conf"), "audit-max-size = lots\n");
        Result r = run(null, "audit", "tail");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("audit-max-size must be a size such as 1048576, 512k, 64m or 1g, not 'lots'");
    }
}
