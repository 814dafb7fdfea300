package dev.jeton.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.client.admin.ApiClient;
import dev.jeton.client.admin.ApiException;
import dev.jeton.client.admin.ApiResponse;
import dev.jeton.client.admin.api.NodesApi;
import dev.jeton.client.admin.api.UpstreamsApi;
import dev.jeton.client.admin.model.CreatedNode;
import dev.jeton.client.admin.model.NewNode;
import dev.jeton.client.admin.model.NewUpstream;
import dev.jeton.client.admin.model.Node;
import dev.jeton.client.admin.model.NodePatch;
import dev.jeton.client.admin.model.Upstream;
import dev.jeton.model.Secret;
import dev.jeton.secrets.SecretHash;
import dev.jeton.support.AdminClients;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.Http;
import dev.jeton.support.Jetons;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.jeton.admin.AdminApiTest.etag;
import static dev.jeton.support.AdminClients.refused;
import static org.assertj.core.api.Assertions.assertThat;

/** Nodes and upstream providers through the generated Java client: CRUD, every error, each change audited with the caller. */
class AdminNodesUpstreamsTest {
    private static final String UPSTREAM_SECRET = "upstream-client-s3cret-value";

    @TempDir
    static Path dir;
    static Jetons.Running jeton;
    static AdminClients admins;
    static ApiClient ops;

    @BeforeAll
    static void start() {
        jeton = Jetons.start(dir);
        admins = new AdminClients(jeton);
        ops = admins.client(admins.token("ops", "jeton:admin:nodes", "jeton:admin:upstreams"));
    }

    @AfterAll
    static void stop() { jeton.close(); }

    private static JsonNode audited(String action, String target) {
        return AuditTrail.of(dir).await("event", "admin", "action", action, "target", target, "subject", "ops", "dialect", "admin");
    }

    @Test
    void nodesWhenAddedDisabledEnabledAndRemovedThenTheStoreFollowsAndEachStepIsAuditedWithTheCaller() throws Exception {
        NodesApi nodes = new NodesApi(ops);
        ApiResponse<CreatedNode> created = nodes.createNodeWithHttpInfo(new NewNode().name("gpu-1"));
        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(created.getHeaders().get("location")).containsExactly("/admin/v1/nodes/gpu-1");
        CreatedNode node = created.getData();
        assertThat(node.getEnrolled()).isFalse();
        assertThat(node.getDisabled()).isFalse();
        assertThat(node.getEnrolTokenExpiresAt()).isNotNull();
        // The token answered is the one the server will accept: its hash is what is stored.
        assertThat(SecretHash.of(new Secret(node.getEnrolToken())))
                .isEqualTo(jeton.wiring().admin().nodes().show("gpu-1").orElseThrow().enrolTokenHash());
        assertThat(audited("node.add", "gpu-1").get("detail").asText()).startsWith("enrolment token valid until ");

        ApiResponse<Node> read = nodes.getNodeWithHttpInfo("gpu-1");
        assertThat(etag(read)).isEqualTo(etag(created));
        assertThat(Http.get(jeton.baseUrl() + "/admin/v1/nodes/gpu-1", "Bearer " + admins.token("node-peeker", "jeton:admin:read")).body())
                .doesNotContain(node.getEnrolToken()).doesNotContain("enrol_token\"");
        assertThat(nodes.listNodes(null, null).getItems()).extracting(Node::getName).contains("gpu-1");

        ApiResponse<Node> disabled = nodes.updateNodeWithHttpInfo("gpu-1", new NodePatch().disabled(true), etag(read));
        assertThat(disabled.getData().getDisabled()).isTrue();
        assertThat(jeton.wiring().admin().nodes().show("gpu-1").orElseThrow().disabled()).isTrue();
        audited("node.disable", "gpu-1");
        ApiResponse<Node> enabled = nodes.updateNodeWithHttpInfo("gpu-1", new NodePatch().disabled(false), etag(disabled));
        assertThat(enabled.getData().getDisabled()).isFalse();
        audited("node.enable", "gpu-1");

        nodes.deleteNode("gpu-1", etag(enabled));
        assertThat(jeton.wiring().admin().nodes().show("gpu-1")).isEmpty();
        audited("node.remove", "gpu-1");
        assertThat(refused(404, () -> nodes.getNode("gpu-1")).get("type").asText()).isEqualTo("urn:jeton:problem:not-found");
    }

    @Test
    void nodesWhenDuplicateStaleInvalidOrOutOfScopeThenTheProblemSaysWhy() throws Exception {
        NodesApi nodes = new NodesApi(ops);
        CreatedNode node = nodes.createNode(new NewNode().name("gpu-2"));
        assertThat(refused(409, () -> nodes.createNode(new NewNode().name("gpu-2"))).get("detail").asText()).contains("gpu-2");

        String before = etag(nodes.getNodeWithHttpInfo("gpu-2"));
        nodes.updateNode("gpu-2", new NodePatch().disabled(true), before);
        assertThat(refused(412, () -> nodes.deleteNodeWithHttpInfo("gpu-2", before)).get("type").asText())
                .isEqualTo("urn:jeton:problem:stale-etag");
        assertThat(refused(428, () -> nodes.deleteNodeWithHttpInfo("gpu-2", null)).get("type").asText())
                .isEqualTo("urn:jeton:problem:if-match-required");
        assertThat(jeton.wiring().admin().nodes().show("gpu-2")).isPresent();

        JsonNode invalid = refused(422, () -> nodes.createNode(new NewNode().name("bad name!")));
        assertThat(invalid.get("errors").get(0).get("field").asText()).isEqualTo("name");
        assertThat(refused(422, () -> nodes.createNode(new NewNode())).get("errors").get(0).get("field").asText()).isEqualTo("name");

        ApiClient reader = admins.client(admins.token("node-reader", "jeton:admin:nodes:read"));
        assertThat(new NodesApi(reader).getNode("gpu-2").getName()).isEqualTo(node.getName());
        JsonNode forbidden = refused(403, () -> new NodesApi(reader).createNode(new NewNode().name("gpu-3")));
        assertThat(forbidden.get("detail").asText()).contains("jeton:admin:nodes");
        AuditTrail.of(dir).await("event", "refused", "dialect", "admin", "reason", "scope.insufficient", "subject", "node-reader");
        assertThat(jeton.wiring().admin().nodes().show("gpu-3")).isEmpty();
        ApiClient upstreamsOnly = admins.client(admins.token("upstream-admin", "jeton:admin:upstreams"));
        refused(403, () -> new NodesApi(upstreamsOnly).listNodes(null, null));
    }

    @Test
    void upstreamsWhenAddedWithASecretThenNeverAnsweredOrAuditedAndRemovingIsAudited() throws Exception {
        UpstreamsApi upstreams = new UpstreamsApi(ops);
        ApiResponse<Upstream> created = upstreams.createUpstreamWithHttpInfo(new NewUpstream().name("corp").issuer("https://login.corp.example")
                .clientId("jeton").clientSecret(UPSTREAM_SECRET).claimGroups("groups").allowedDomains(List.of("Corp.Example")));
        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(created.getHeaders().get("location")).containsExactly("/admin/v1/upstreams/corp");
        Upstream u = created.getData();
        assertThat(u.getAllowedDomains()).containsExactly("corp.example");
        assertThat(u.getScope()).isEqualTo("openid profile email");
        assertThat(u.getRedirectUri()).isEqualTo(jeton.baseUrl() + "/oidc/upstream/callback");
        assertThat(jeton.wiring().admin().upstreams().show("corp").orElseThrow().sealedSecret()).doesNotContain(UPSTREAM_SECRET);
        assertThat(audited("upstream.add", "corp").toString()).doesNotContain(UPSTREAM_SECRET);

        ApiResponse<Upstream> read = upstreams.getUpstreamWithHttpInfo("corp");
        assertThat(etag(read)).isEqualTo(etag(created));
        String raw = Http.get(jeton.baseUrl() + "/admin/v1/upstreams", "Bearer " + admins.token("upstream-lister", "jeton:admin:upstreams:read")).body();
        assertThat(raw).contains("\"corp\"").doesNotContain(UPSTREAM_SECRET).doesNotContain("secret");

        upstreams.deleteUpstream("corp", etag(read));
        assertThat(jeton.wiring().admin().upstreams().show("corp")).isEmpty();
        audited("upstream.remove", "corp");
        refused(404, () -> upstreams.getUpstream("corp"));
        assertThat(AuditTrail.of(dir).rawText()).doesNotContain(UPSTREAM_SECRET);
    }

    @Test
    void upstreamsWhenDuplicateStaleInvalidOrOutOfScopeThenTheProblemSaysWhy() throws Exception {
        UpstreamsApi upstreams = new UpstreamsApi(ops);
        NewUpstream valid = new NewUpstream().name("partner").issuer("https://id.partner.example").clientId("jeton").clientSecret(UPSTREAM_SECRET);
        upstreams.createUpstream(valid);
        assertThat(refused(409, () -> upstreams.createUpstream(valid)).get("type").asText()).isEqualTo("urn:jeton:problem:conflict");

        // Removed and added again under the same name is another upstream: a tag read before does not match it.
        String before = etag(upstreams.getUpstreamWithHttpInfo("partner"));
        upstreams.deleteUpstream("partner", before);
        upstreams.createUpstream(valid);
        assertThat(refused(412, () -> upstreams.deleteUpstreamWithHttpInfo("partner", before)).get("type").asText())
                .isEqualTo("urn:jeton:problem:stale-etag");

        for (Object[] row : new Object[][]{
                {new NewUpstream().name("x").issuer("https://id.example").clientId("jeton"), "client_secret"},
                {new NewUpstream().name("x").issuer("ftp://id.example").clientId("jeton").clientSecret("s"), "issuer"},
                {new NewUpstream().name("x y").issuer("https://id.example").clientId("jeton").clientSecret("s"), "name"},
                {new NewUpstream().name("x").issuer("https://id.example").clientId("jeton").clientSecret("s").scope("profile"), "scope"},
                {new NewUpstream().name("x").issuer("https://id.example").clientId("jeton").clientSecret("s").allowedDomains(List.of("not a domain")),
                        "allowed_domains"}}) {
            JsonNode p = refused(422, () -> upstreams.createUpstream((NewUpstream) row[0]));
            assertThat(p.get("errors").get(0).get("field").asText()).as(p.toString()).isEqualTo(row[1]);
        }
        assertThat(jeton.wiring().admin().upstreams().show("x")).isEmpty();

        ApiClient reader = admins.client(admins.token("upstream-reader", "jeton:admin:upstreams:read"));
        assertThat(new UpstreamsApi(reader).getUpstream("partner").getIssuer()).isEqualTo("https://id.partner.example");
        refused(403, () -> new UpstreamsApi(reader).deleteUpstreamWithHttpInfo("partner", "*"));
        ApiClient nodesOnly = admins.client(admins.token("nodes-admin", "jeton:admin:nodes"));
        refused(403, () -> new UpstreamsApi(nodesOnly).getUpstream("partner"));
        assertThat(jeton.wiring().admin().upstreams().show("partner")).isPresent();
    }
}
