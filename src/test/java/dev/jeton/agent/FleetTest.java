package dev.jeton.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.engine.federation.TrustAdmin;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.AzureIdentityProbe;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import dev.jeton.support.TestPostgres;
import dev.jeton.support.WorkloadIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A fleet: two servers on one real PostgreSQL and three node agents. Each node's workloads get
 * that node's identities through the real Azure Identity SDK, and nothing of another node's;
 * the servers refuse disabled nodes, replayed, expired and forged assertions and reused
 * enrolment tokens, each with its reason in the audit log; the agents fail over to the second
 * server and serve cached tokens while neither answers. Ordered: the last tests stop servers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ISSUER = "https://jeton.example";
    private static final String VAULT = "https://vault.azure.net";
    private static final List<String> NODES = List.of("node-a", "node-b", "node-c");

    @TempDir
    static Path dir;
    static final List<Jetons.Running> servers = new ArrayList<>();
    static final List<Agent> agents = new ArrayList<>();
    static final Map<String, ManagedIdentity> identities = new LinkedHashMap<>();
    static ManagedIdentity systemA;

    @BeforeAll
    static void start() throws Exception {
        String url = TestPostgres.newDatabase();
        Path masterKey = dir.resolve("shared-master.key");
        for (String name : List.of("server-1", "server-2")) {
            Path data = Files.createDirectories(dir.resolve(name));
            Files.writeString(data.resolve("jeton.conf"), """
                    issuer = %s
                    store = %s
                    master-key-file = %s
                    recheck-interval = 2s
                    """.formatted(ISSUER, url, masterKey));
            servers.add(Jetons.start(data, Clock.systemUTC(), Map.of()));
        }
        var admin = servers.getFirst().wiring().admin();
        for (String node : NODES) {
            ManagedIdentity web = admin.identities().add("web-" + node, null, null, null);
            admin.identities().assign(web.name(), node);
            identities.put(node, web);
        }
        systemA = admin.identities().add("sys-node-a", null, null, "node-a");
        for (String node : NODES) agents.add(startAgent(node, enrolTokenFile(node)));
    }

    @AfterAll
    static void stop() {
        agents.forEach(Agent::close);
        servers.forEach(Jetons.Running::close);
    }

    private static Path enrolTokenFile(String node) throws Exception {
        String token = servers.getFirst().wiring().admin().nodes().add(node).enrolToken().value();
        return Files.writeString(dir.resolve(node + ".enrol"), token + "\n");
    }

    private static Agent startAgent(String node, Path tokenFile) {
        return Agent.start(new AgentSettings(servers.stream().map(s -> URI.create(s.baseUrl())).toList(), node, tokenFile, null,
                dir.resolve("state-" + node), "127.0.0.1", 0, 1000, 50, Duration.ofSeconds(5)), Clock.systemUTC());
    }

    private static Path audit(int server) { return servers.get(server).wiring().config().dataDir(); }

    @Test
    @Order(1)
    void workloadOnEachNodeWhenAskingTheAzureSdkThenGetsItsOwnNodesIdentity() throws Exception {
        for (int i = 0; i < NODES.size(); i++) {
            ManagedIdentity web = identities.get(NODES.get(i));
            AzureIdentityProbe.Run run = AzureIdentityProbe.run(agents.get(i).url(), List.of(), "client-id", VAULT + "/.default", web.clientId());
            JWTClaimsSet claims = SignedJWT.parse(run.token()).getJWTClaimsSet();
            assertThat(claims.getStringClaim("appid")).isEqualTo(web.clientId());
            assertThat(claims.getAudience()).containsExactly(VAULT);
            assertThat(claims.getIssuer()).startsWith(ISSUER + "/");
        }
        // No selector: the node's system-assigned identity, as Azure's IMDS
        AzureIdentityProbe.Run system = AzureIdentityProbe.run(agents.getFirst().url(), List.of(), "system", VAULT + "/.default");
        assertThat(SignedJWT.parse(system.token()).getJWTClaimsSet().getStringClaim("appid")).isEqualTo(systemA.clientId());
    }

    @Test
    @Order(2)
    void agentWhenAskedForAnotherNodesIdentityThenIdentityNotFound() {
        HttpResponse<String> r = imds(agents.getFirst(), "client_id=" + identities.get("node-b").clientId(), false);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"error\":\"invalid_request\"").contains("Identity not found");
    }

    @Test
    @Order(3)
    void stateDirWhenWrittenThenThePrivateKeyIsTheOwnersAloneAndNeverSent() throws Exception {
        Path key = dir.resolve("state-node-a").resolve(Agent.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        ECKey nodeKey = ECKey.parse(Files.readString(key));
        assertThat(nodeKey.isPrivate()).isTrue();
        // The agents enrolled through the first server: its audit log has their enrolments, and no private key
        AuditTrail.of(audit(0)).await("event", "admin", "action", "node.enrol", "target", "node-a");
        AuditTrail.of(audit(0)).assertContainsNone(List.of(nodeKey.getD().toString()));
    }

    @Test
    @Order(4)
    void nodeAsKeyWhenAskingTheServerForNodeBsIdentityThenRefused() throws Exception {
        String assertion = assertion("node-a", "node-a", Instant.now().plusSeconds(60));
        HttpResponse<String> r = token(0, assertion, "client_id=" + identities.get("node-b").clientId());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error_description").asText()).isEqualTo("Identity not found");
        AuditTrail.of(audit(0)).await("event", "refused", "dialect", "agent", "subject", "node-a", "reason", "identity.not_found");
    }

    @Test
    @Order(5)
    void assertionWhenNamingNodeBButSignedByNodeAsKeyThenRefusedAsForged() throws Exception {
        HttpResponse<String> r = token(0, assertion("node-b", "node-a", Instant.now().plusSeconds(60)), "");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("error").asText()).isEqualTo("invalid_client");
        AuditTrail.of(audit(0)).await("event", "refused", "dialect", "agent", "subject", "node-b", "reason", "assertion.signature");
    }

    @Test
    @Order(6)
    void assertionWhenReplayedToTheOtherServerThenRefused() throws Exception {
        String assertion = assertion("node-a", "node-a", Instant.now().plusSeconds(60));
        assertThat(token(0, assertion, "").statusCode()).isEqualTo(200);
        HttpResponse<String> replay = token(1, assertion, "");
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(json(replay).path("error_description").asText()).contains("used already");
        AuditTrail.of(audit(1)).await("event", "refused", "subject", "node-a", "reason", "assertion.replayed");
    }

    @Test
    @Order(7)
    void assertionWhenExpiredThenRefused() throws Exception {
        HttpResponse<String> r = token(0, assertion("node-a", "node-a", Instant.now().minusSeconds(120)), "");
        assertThat(r.statusCode()).isEqualTo(401);
        AuditTrail.of(audit(0)).await("event", "refused", "subject", "node-a", "reason", "assertion.expired");
    }

    @Test
    @Order(8)
    void enrolmentTokenWhenUsedAgainThenRefused() throws Exception {
        String token = Files.readString(dir.resolve("node-b.enrol")).strip();
        HttpResponse<String> r = Http.postForm(servers.get(1).baseUrl() + "/agent/v1/enrol", form(Map.of("node", "node-b",
                "enrol_token", token, "public_key", ECKey.parse(Files.readString(dir.resolve("state-node-a").resolve(Agent.KEY_FILE)))
                        .toPublicJWK().toJSONString())), null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).isEqualTo("invalid_grant");
        AuditTrail.of(audit(1)).await("event", "refused", "grant", "enrol", "subject", "node-b", "reason", "enrol.token_used");
    }

    @Test
    @Order(9)
    void agentWhenRestartedThenServesWithoutEnrollingAgain() {
        agents.get(1).close();
        agents.set(1, startAgent("node-b", null));
        HttpResponse<String> r = imds(agents.get(1), "client_id=" + identities.get("node-b").clientId(), true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    @Order(10)
    void nodeWhenDisabledThenItsAgentGetsNothingNew() {
        servers.get(1).wiring().admin().nodes().disable("node-c");
        HttpResponse<String> r = imds(agents.get(2), "client_id=" + identities.get("node-c").clientId(), true);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("node node-c is disabled");
        awaitOnEitherServer("event", "refused", "subject", "node-c", "reason", "node.disabled");
        servers.get(0).wiring().admin().nodes().enable("node-c");
        assertThat(imds(agents.get(2), "client_id=" + identities.get("node-c").clientId(), true).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(11)
    void federatedNodeWhenItsDaemonSetTokenMatchesANodePolicyThenServedWithoutEnrolment() throws Exception {
        try (WorkloadIssuer cluster = WorkloadIssuer.start(Clock.systemUTC())) {
            // On the server the agent asks: its trust policies reload at once after a change made through it
            var admin = servers.get(1).wiring().admin();
            admin.trust().add(new TrustAdmin.Draft("k8s-nodes", cluster.issuer(), "jeton-agent", "system:serviceaccount:jeton:agent",
                    List.of(), "node:gpu-*", null, cluster.writeJwks(dir.resolve("cluster-jwks.json")).toString()));
            ManagedIdentity trainer = admin.identities().add("trainer", null, null, null);
            admin.identities().assign("trainer", "gpu-1");
            Path tokenFile = Files.writeString(dir.resolve("sa-token"), cluster.sign(daemonSetToken(cluster, "gpu-1")));
            try (Agent gpu = Agent.start(new AgentSettings(List.of(URI.create(servers.get(1).baseUrl())), "gpu-1", null, tokenFile,
                    dir.resolve("state-gpu-1"), "127.0.0.1", 0, 1000, 50, Duration.ofSeconds(5)), Clock.systemUTC())) {
                HttpResponse<String> ok = imds(gpu, "", false);
                assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
                assertThat(json(ok).path("client_id").asText()).isEqualTo(trainer.clientId());
                assertThat(Files.exists(dir.resolve("state-gpu-1").resolve(Agent.KEY_FILE))).isFalse();
            }
            // A pod of the DaemonSet on a node the policy does not name gets nothing
            HttpResponse<String> other = token(1, cluster.sign(daemonSetToken(cluster, "cpu-1")), "");
            assertThat(other.statusCode()).isEqualTo(401);
            AuditTrail.of(audit(1)).await("event", "refused", "reason", "policy.node_mismatch");
        }
    }

    @Test
    @Order(12)
    void agentWhenManyAskTheSameAtOnceThenOneServerCallAnswersThemAll() throws Exception {
        String resource = "https://coalesced.example";
        List<java.util.concurrent.Future<HttpResponse<String>>> answers = new ArrayList<>();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return imds(agents.get(2), "client_id=" + identities.get("node-c").clientId(), false, resource);
                }));
            }
            go.countDown();
            java.util.Set<String> tokens = new java.util.HashSet<>();
            for (var answer : answers) {
                HttpResponse<String> r = answer.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                tokens.add(json(r).path("access_token").asText());
            }
            // Every mint has its own jti: one token for sixteen requests means one server call
            assertThat(tokens).hasSize(1);
        }
    }

    @Test
    @Order(12)
    void agentWhenTheClientNamesTheCachedTokenAsRefusedThenAsksAnewAndOtherwiseAnswersFromCache() throws Exception {
        String selector = "client_id=" + identities.get("node-c").clientId();
        String first = json(imds(agents.get(2), selector, false, "https://claims.example")).path("access_token").asText();
        assertThat(json(imds(agents.get(2), selector, false, "https://claims.example")).path("access_token").asText()).isEqualTo(first);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(first.getBytes(StandardCharsets.UTF_8)));
        String fresh = json(imds(agents.get(2), selector + "&token_sha256_to_refresh=" + sha, false, "https://claims.example"))
                .path("access_token").asText();
        assertThat(fresh).isNotEqualTo(first);
    }

    @Test
    @Order(13)
    void nodeWhenRemovedThenItsAgentIsRefusedAtOnce() throws Exception {
        ManagedIdentity tmp = servers.getFirst().wiring().admin().identities().add("web-node-x", null, null, null);
        servers.getFirst().wiring().admin().identities().assign(tmp.name(), "node-x");
        try (Agent x = startAgent("node-x", enrolTokenFile("node-x"))) {
            assertThat(imds(x, "", true).statusCode()).isEqualTo(200);
            servers.getFirst().wiring().admin().nodes().remove("node-x");
            HttpResponse<String> r = imds(x, "", true);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(json(r).path("error").asText()).isEqualTo("unauthorized_client");
            awaitOnEitherServer("event", "refused", "subject", "node-x", "reason", "node.unknown");
        }
    }

    @Test
    @Order(14)
    void agentWhenRunAsACommandThenPrintsOneLineOnceItAnswersAndServesItsNode() throws Exception {
        ManagedIdentity web = servers.getFirst().wiring().admin().identities().add("web-node-p", null, null, null);
        servers.getFirst().wiring().admin().identities().assign(web.name(), "node-p");
        Path token = enrolTokenFile("node-p");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m", "-cp", classpath,
                "dev.jeton.Jeton", "agent", "--node", "node-p", "--enrol-token-file", token.toString(), "--imds-port", "0")
                .redirectError(dir.resolve("agent-p.err").toFile());
        // The servers and the state directory come from the environment, as in a systemd unit
        pb.environment().put("JETON_AGENT_SERVER", servers.get(0).baseUrl() + "," + servers.get(1).baseUrl());
        pb.environment().put("JETON_AGENT_STATE_DIR", dir.resolve("state-node-p").toString());
        Process agent = pb.start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("stderr: " + (Files.exists(dir.resolve("agent-p.err")) ? Files.readString(dir.resolve("agent-p.err")) : ""))
                    .matches("jeton agent for node node-p on http://127\\.0\\.0\\.1:\\d+");
            String url = line.substring(line.indexOf("http://"));
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(url + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource="
                    + URLEncoder.encode(VAULT, StandardCharsets.UTF_8))).header("Metadata", "true").GET().build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).path("client_id").asText()).isEqualTo(web.clientId());
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }

    @Test
    @Order(20)
    void serverWhenStoppedThenTheAgentFailsOverToTheOther() {
        servers.get(0).close();
        HttpResponse<String> r = imds(agents.getFirst(), "client_id=" + identities.get("node-a").clientId(), true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    @Order(21)
    void bothServersWhenStoppedThenCachedTokensAreStillServedAndOthersUnavailable() throws Exception {
        String cached = json(imds(agents.getFirst(), "client_id=" + identities.get("node-a").clientId(), false)).path("access_token").asText();
        servers.get(1).close();
        HttpResponse<String> again = imds(agents.getFirst(), "client_id=" + identities.get("node-a").clientId(), true);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("access_token").asText()).isEqualTo(cached);
        HttpResponse<String> uncached = imds(agents.getFirst(), "client_id=" + identities.get("node-a").clientId(), false,
                "https://storage.azure.com");
        assertThat(uncached.statusCode()).isEqualTo(503);
        assertThat(uncached.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(uncached.body()).contains("service_unavailable");
    }

    @Test
    @Order(22)
    void agentWhenStartedWithoutTokenFileOnAFreshStateDirThenSaysSo() {
        assertThatThrownBy(() -> startAgent("node-new", null)).hasMessageContaining("--enrol-token-file");
    }

    /** A refusal may be answered by either server (the agent asks the one that answered last): one of the two audit logs has it. */
    private static void awaitOnEitherServer(String... fieldsAndValues) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (int s = 0; s < servers.size(); s++) {
                if (AuditTrail.of(audit(s)).lines().stream().anyMatch(l -> AuditTrail.has(l, fieldsAndValues))) return;
            }
            try {
                Thread.sleep(50); // polling the writer thread's file, as AuditTrail.await does
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no audit line on either server has " + List.of(fieldsAndValues));
    }

    private static JWTClaimsSet.Builder daemonSetToken(WorkloadIssuer cluster, String node) {
        JWTClaimsSet base = cluster.kubernetes("jeton", "agent", "jeton-agent").build();
        return new JWTClaimsSet.Builder(base).claim("kubernetes.io", Map.of("namespace", "jeton",
                "serviceaccount", Map.of("name", "agent", "uid", UUID.randomUUID().toString()),
                "pod", Map.of("name", "agent-x1", "uid", UUID.randomUUID().toString()),
                "node", Map.of("name", node, "uid", UUID.randomUUID().toString())));
    }

    /** An assertion as the agent makes it, naming {@code claimed} and signed with {@code signer}'s node key. */
    private static String assertion(String claimed, String signer, Instant exp) throws Exception {
        ECKey key = ECKey.parse(Files.readString(dir.resolve("state-" + signer).resolve(Agent.KEY_FILE)));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), new JWTClaimsSet.Builder()
                .issuer(claimed).subject(claimed).audience(ISSUER).issueTime(Date.from(exp.minusSeconds(60))).expirationTime(Date.from(exp))
                .jwtID(UUID.randomUUID().toString()).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static HttpResponse<String> token(int server, String assertion, String extra) {
        String body = form(Map.of("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion, "resource", VAULT)) + (extra.isEmpty() ? "" : "&" + extra);
        return Http.postForm(servers.get(server).baseUrl() + "/agent/v1/token", body, null);
    }

    private static HttpResponse<String> imds(Agent agent, String selector, boolean bypassCache) {
        return imds(agent, selector, bypassCache, VAULT);
    }

    private static HttpResponse<String> imds(Agent agent, String selector, boolean bypassCache, String resource) {
        String query = "api-version=2023-07-01&resource=" + URLEncoder.encode(resource, StandardCharsets.UTF_8)
                + (selector.isEmpty() ? "" : "&" + selector) + (bypassCache ? "&bypass_cache=true" : "");
        return Http.send(HttpRequest.newBuilder(URI.create(agent.url() + "/metadata/identity/oauth2/token?" + query))
                .header("Metadata", "true").GET().build());
    }

    private static String form(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((k, v) -> out.append(out.isEmpty() ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception { return JSON.readTree(r.body()); }
}
