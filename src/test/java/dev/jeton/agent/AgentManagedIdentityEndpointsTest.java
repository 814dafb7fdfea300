package dev.jeton.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.config.ManagedIdentityEndpointSettings;
import dev.jeton.dialect.imds.AppServiceEndpoint;
import dev.jeton.dialect.imds.ArcEndpoint;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.AzureIdentityProbe;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node agent's Azure Arc and App Service endpoints, beside its IMDS: two servers on one real
 * PostgreSQL, two agents, and the real Azure Identity SDK in a child JVM. Each endpoint hands a
 * node's workloads that node's identities; an identity left out of an endpoint's list is refused
 * there by the agent, which logs the reason (a node has no audit log); another node's identity is
 * refused by the servers, which audit it. The Arc key files go to /var/opt/azcmagent/tokens, the
 * only place the SDK reads them from on Linux: the tests run as root.
 */
class AgentManagedIdentityEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ISSUER = "https://jeton.example";
    private static final String VAULT = "https://vault.azure.net";

    @TempDir
    static Path dir;
    static final List<Jetons.Running> servers = new ArrayList<>();
    static ManagedIdentity webA;
    static ManagedIdentity sysA;
    static ManagedIdentity webB;
    static ManagedIdentity sysB;
    /** node-a: Arc hands out only its system identity, App Service only web-a; node-b: Arc only web-b, App Service all of node-b's. */
    static Agent agentA;
    static Agent agentB;
    static final List<String> agentLog = new CopyOnWriteArrayList<>();
    static final Logger agentLogger = Logger.getLogger(AgentTokens.class.getName());
    static final Handler capture = new Handler() {
        @Override public void publish(LogRecord r) { agentLog.add(new SimpleFormatter().formatMessage(r)); }
        @Override public void flush() { }
        @Override public void close() { }
    };

    @BeforeAll
    static void start() throws Exception {
        agentLogger.addHandler(capture);
        String url = TestPostgres.newDatabase();
        for (String name : List.of("server-1", "server-2")) {
            Path data = Files.createDirectories(dir.resolve(name));
            Files.writeString(data.resolve("jeton.conf"), """
                    issuer = %s
                    store = %s
                    master-key-file = %s
                    """.formatted(ISSUER, url, dir.resolve("shared-master.key")));
            servers.add(Jetons.start(data, Clock.systemUTC(), Map.of()));
        }
        var identities = servers.getFirst().wiring().admin().identities();
        sysA = identities.add("sys-node-a", null, null, "node-a");
        webA = identities.add("web-node-a", null, null, null);
        identities.assign(webA.name(), "node-a");
        sysB = identities.add("sys-node-b", null, null, "node-b");
        webB = identities.add("web-node-b", null, null, null);
        identities.assign(webB.name(), "node-b");
        agentA = startAgent("node-a", List.of(sysA.name()), List.of(webA.name()), servers);
        agentB = startAgent("node-b", List.of(webB.name()), List.of("*"), servers.reversed());
    }

    @AfterAll
    static void stop() {
        if (agentA != null) agentA.close();
        if (agentB != null) agentB.close();
        servers.forEach(Jetons.Running::close);
        agentLogger.removeHandler(capture);
    }

    private static Agent startAgent(String node, List<String> arc, List<String> appService, List<Jetons.Running> fleet) throws Exception {
        Path state = dir.resolve("state-" + node);
        String token = servers.getFirst().wiring().admin().nodes().add(node).enrolToken().value();
        Path tokenFile = Files.writeString(dir.resolve(node + ".enrol"), token);
        ManagedIdentityEndpointSettings defaults = AgentSettings.imdsOnly(state);
        ManagedIdentityEndpointSettings endpoints = new ManagedIdentityEndpointSettings(List.of("*"), true, defaults.arcKeyDir(),
                defaults.arcKeyTtl(), arc, true, defaults.appServiceSecretFile(), appService);
        return Agent.start(new AgentSettings(fleet.stream().map(s -> URI.create(s.baseUrl())).toList(), node, tokenFile, null, state,
                "127.0.0.1", 0, 1000, 50, Duration.ofSeconds(5), endpoints), Clock.systemUTC());
    }

    private static Map<String, String> arc(Agent agent) {
        return Map.of("IDENTITY_ENDPOINT", agent.url() + ArcEndpoint.PATH, "IMDS_ENDPOINT", agent.url());
    }

    private static Map<String, String> appService(Agent agent) throws Exception {
        return Map.of("IDENTITY_ENDPOINT", agent.url() + AppServiceEndpoint.PATH, "IDENTITY_HEADER", secret(agent));
    }

    private static String secret(Agent agent) throws Exception {
        return Files.readString(dir.resolve("state-" + agent.node()).resolve(AgentSettings.APP_SERVICE_SECRET_FILE)).strip();
    }

    private static String appId(AzureIdentityProbe.Run run) throws Exception {
        assertThat(run.exitCode()).as(run.output()).isZero();
        return SignedJWT.parse(run.token()).getJWTClaimsSet().getStringClaim("appid");
    }

    @Test
    void workloadsWhenAskingEachEndpointThroughTheAzureSdkThenGetTheirNodesIdentities() throws Exception {
        String scope = VAULT + "/.default";
        assertThat(appId(AzureIdentityProbe.run(agentA.url(), List.of(), "client-id", scope, webA.clientId()))).isEqualTo(webA.clientId());
        assertThat(appId(AzureIdentityProbe.runWith(arc(agentA), List.of(), "system", scope))).isEqualTo(sysA.clientId());
        assertThat(appId(AzureIdentityProbe.runWith(appService(agentA), List.of(), "client-id", scope, webA.clientId())))
                .isEqualTo(webA.clientId());
        // The SDKs ask Arc for the system-assigned identity only (Azure Arc has no other): user-assigned ones go through App Service
        assertThat(appId(AzureIdentityProbe.runWith(appService(agentB), List.of(), "client-id", scope, webB.clientId())))
                .isEqualTo(webB.clientId());
        assertThat(appId(AzureIdentityProbe.runWith(appService(agentB), List.of(), "system", scope))).isEqualTo(sysB.clientId());
        assertThat(appId(AzureIdentityProbe.run(agentB.url(), List.of(), "system", scope))).isEqualTo(sysB.clientId());
    }

    @Test
    void identityNotInAnEndpointsListWhenAskedThereThenRefusedAndTheAgentLogsWhy() throws Exception {
        // node-b's Arc endpoint was given web-node-b only, not the node's system identity the SDK asks Arc for
        AzureIdentityProbe.Run arc = AzureIdentityProbe.runWith(arc(agentB), List.of(), "system", VAULT + "/.default");
        assertThat(arc.exitCode()).as(arc.output()).isNotZero();
        assertThat(arc.output()).contains("Identity not found").doesNotContain("TOKEN ");
        awaitLog("at arc: Identity not found (identity.not_allowed)");

        AzureIdentityProbe.Run app = AzureIdentityProbe.runWith(appService(agentA), List.of(), "system", VAULT + "/.default");
        assertThat(app.exitCode()).as(app.output()).isNotZero();
        assertThat(app.output()).doesNotContain("TOKEN ");
        awaitLog("at appservice: Identity not found (identity.not_allowed)");
        HttpResponse<String> raw = Http.send(HttpRequest.newBuilder(URI.create(agentA.url() + AppServiceEndpoint.PATH
                + "?api-version=2019-08-01&resource=" + URLEncoder.encode(VAULT, StandardCharsets.UTF_8)))
                .header("X-IDENTITY-HEADER", secret(agentA)).GET().build());
        assertThat(raw.statusCode()).isEqualTo(400);
        assertThat(json(raw).path("message").asText()).isEqualTo("Identity not found");
        // The same identity is still given where it is listed: the lists are per endpoint
        assertThat(appId(AzureIdentityProbe.run(agentA.url(), List.of(), "system", VAULT + "/.default"))).isEqualTo(sysA.clientId());
        String secret = secret(agentA);
        assertThat(agentLog).noneMatch(l -> l.contains(secret));
    }

    @Test
    void anotherNodesIdentityWhenAskedAtAppServiceThenTheServersRefuseAndAuditIt() throws Exception {
        AzureIdentityProbe.Run run = AzureIdentityProbe.runWith(appService(agentB), List.of(), "client-id", VAULT + "/.default",
                webA.clientId());
        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("Identity not found").doesNotContain("TOKEN ");
        // node-b asks server-2 first
        AuditTrail.of(servers.get(1).wiring().config().dataDir()).await("event", "refused", "dialect", "agent", "subject", "node-b",
                "reason", "identity.not_found");
    }

    @Test
    void appServiceSecretWhenMadeByTheAgentThenInTheStateDirForTheOwnerAlone() throws Exception {
        Path file = dir.resolve("state-node-a").resolve(AgentSettings.APP_SERVICE_SECRET_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(secret(agentA)).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void agentCommandWhenTurnedOnByFlagsAndEnvironmentThenServesAppServiceAndLogsRefusalsWithoutSecrets() throws Exception {
        ManagedIdentity web = servers.getFirst().wiring().admin().identities().add("web-node-p", null, null, null);
        servers.getFirst().wiring().admin().identities().assign(web.name(), "node-p");
        ManagedIdentity other = servers.getFirst().wiring().admin().identities().add("batch-node-p", null, null, null);
        servers.getFirst().wiring().admin().identities().assign(other.name(), "node-p");
        Path token = Files.writeString(dir.resolve("node-p.enrol"),
                servers.getFirst().wiring().admin().nodes().add("node-p").enrolToken().value());
        Path state = dir.resolve("state-node-p");
        Path stderr = dir.resolve("agent-p.err");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-cp",
                classpath, "dev.jeton.Jeton", "agent", "--node", "node-p", "--enrol-token-file", token.toString(), "--imds-port", "0",
                "--app-service", "--arc", "--imds-identities", other.name()).redirectError(stderr.toFile());
        pb.environment().put("JETON_AGENT_SERVER", servers.get(0).baseUrl() + "," + servers.get(1).baseUrl());
        pb.environment().put("JETON_AGENT_STATE_DIR", state.toString());
        pb.environment().put("JETON_AGENT_APP_SERVICE_IDENTITIES", web.name());
        Process agent = pb.start();
        try (var out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("stderr: " + (Files.exists(stderr) ? Files.readString(stderr) : ""))
                    .matches("jeton agent for node node-p on http://127\\.0\\.0\\.1:\\d+");
            String url = line.substring(line.indexOf("http://"));
            String secret = Files.readString(state.resolve(AgentSettings.APP_SERVICE_SECRET_FILE)).strip();
            Map<String, String> env = Map.of("IDENTITY_ENDPOINT", url + AppServiceEndpoint.PATH, "IDENTITY_HEADER", secret);
            assertThat(appId(AzureIdentityProbe.runWith(env, List.of(), "client-id", VAULT + "/.default", web.clientId())))
                    .isEqualTo(web.clientId());
            // IMDS was given batch-node-p only: web-node-p is refused there, and the agent's log says why
            HttpResponse<String> imds = Http.send(HttpRequest.newBuilder(URI.create(url + "/metadata/identity/oauth2/token?api-version=2018-02-01"
                    + "&resource=" + URLEncoder.encode(VAULT, StandardCharsets.UTF_8) + "&client_id=" + web.clientId()))
                    .header("Metadata", "true").GET().build());
            assertThat(imds.statusCode()).isEqualTo(400);
            assertThat(json(imds).path("error_description").asText()).isEqualTo("Identity not found");
            String log = awaitFile(stderr, "at imds: Identity not found (identity.not_allowed)");
            assertThat(log).doesNotContain(secret).doesNotContain(Files.readString(token).strip());
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }

    private static void awaitLog(String fragment) {
        poll(() -> agentLog.stream().anyMatch(l -> l.contains(fragment)), "no agent log line contains '" + fragment + "': " + agentLog);
    }

    private static String awaitFile(Path file, String fragment) {
        String[] text = {""};
        poll(() -> {
            text[0] = Files.exists(file) ? Files.readString(file) : "";
            return text[0].contains(fragment);
        }, "the agent's stderr has no line with '" + fragment + "'");
        return text[0];
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls a condition the agent makes true on its own threads (the log is written as the refusal is answered). */
    private static void poll(Condition condition, String failure) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        try {
            while (!condition.holds()) {
                if (System.nanoTime() > deadline) throw new AssertionError(failure);
                Thread.sleep(50);
            }
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception { return JSON.readTree(r.body()); }
}
