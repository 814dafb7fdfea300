package dev.jeton.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.Jeton;
import dev.jeton.support.KubernetesSchemas;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** deploy/kubernetes, rendered as {@code kubectl apply -k} would and checked against the Kubernetes API's models. */
class ManifestsTest {
    private static final Path KUBERNETES = Path.of("deploy/kubernetes");

    @Test
    void everyKustomizationRendersObjectsTheKubernetesApiAccepts() throws Exception {
        for (String dir : List.of("overlays/postgres", "overlays/sqlite-single", "kubelet")) {
            List<JsonNode> objects = KubernetesSchemas.render(KUBERNETES.resolve(dir));
            assertThat(objects).as(dir).isNotEmpty();
            for (JsonNode object : objects) KubernetesSchemas.validate(object);
        }
    }

    @Test
    void theCheckRejectsAMisspeltFieldAndAStringForAList() throws Exception {
        JsonNode deployment = one(KubernetesSchemas.render(KUBERNETES.resolve("overlays/postgres")), "Deployment", "jeton");
        String yaml = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(deployment);
        JsonNode misspelt = KubernetesSchemas.documents(yaml.replace("\"readinessProbe\"", "\"readinesProbe\"")).get(0);
        assertThatThrownBy(() -> KubernetesSchemas.validate(misspelt)).hasMessageContaining("readinesProbe");
        JsonNode wrongType = KubernetesSchemas.documents(yaml.replace("\"args\":[\"serve\"]", "\"args\":\"serve\"")).get(0);
        assertThatThrownBy(() -> KubernetesSchemas.validate(wrongType)).hasMessageContaining("`args` to be an array");
    }

    @Test
    void postgresOverlayRunsStatelessHardenedReplicasWithTheMasterKeyFromASecret() throws Exception {
        List<JsonNode> objects = KubernetesSchemas.render(KUBERNETES.resolve("overlays/postgres"));
        JsonNode deployment = one(objects, "Deployment", "jeton");
        assertThat(deployment.at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode server = pod.at("/containers/0");
        assertThat(env(server, "JETON_STORE")).startsWith("postgresql://");
        assertThat(env(server, "JETON_MASTER_KEY_FILE")).startsWith("/run/secrets/jeton/");
        assertThat(mountOf(pod, server, "/run/secrets/jeton").at("/secret/secretName").asText()).isEqualTo("jeton");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(server.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(server.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        // The probes ask the server's own health endpoints (JetonServer routes them).
        assertThat(server.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(server.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        String routes = Files.readString(Path.of("src/main/java/dev/jeton/http/JetonServer.java"));
        assertThat(routes).contains("\"/health/live\"").contains("\"/health/ready\"");
        // Sized from bench/README.md: about 180 MiB resident under load.
        assertThat(mebibytes(server.at("/resources/requests/memory").asText())).isBetween(180, 256);
        assertThat(mebibytes(server.at("/resources/limits/memory").asText())).isGreaterThan(256);
        assertThat(one(objects, "PodDisruptionBudget", "jeton").at("/spec/minAvailable").asInt()).isEqualTo(1);
        assertThat(kinds(objects)).contains("Service", "Ingress", "NetworkPolicy", "DaemonSet", "Namespace");
    }

    @Test
    void sqliteOverlayRunsOneReplicaOnAPersistentVolume() throws Exception {
        List<JsonNode> objects = KubernetesSchemas.render(KUBERNETES.resolve("overlays/sqlite-single"));
        JsonNode deployment = one(objects, "Deployment", "jeton");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(mountOf(pod, pod.at("/containers/0"), "/var/lib/jeton").at("/persistentVolumeClaim/claimName").asText())
                .isEqualTo(one(objects, "PersistentVolumeClaim", "jeton-data").at("/metadata/name").asText());
        assertThat(env(pod.at("/containers/0"), "JETON_STORE")).isNull();
        assertThat(one(objects, "PodDisruptionBudget", "jeton").has("minAvailable")).isFalse();
    }

    @Test
    void agentDaemonSetServesImdsOnTheNodesLinkLocalAddress() throws Exception {
        JsonNode agent = one(KubernetesSchemas.render(KUBERNETES.resolve("overlays/postgres")), "DaemonSet", "jeton-agent");
        JsonNode pod = agent.at("/spec/template/spec");
        assertThat(pod.at("/hostNetwork").asBoolean()).isTrue();
        List<String> args = texts(pod.at("/containers/0/args"));
        assertThat(args.get(0)).isEqualTo("agent");
        assertThat(String.join(" ", args)).contains("--imds-host 169.254.169.254").contains("--imds-port 80")
                .contains("--node $(NODE_NAME)").contains("--enrol-token-file /run/secrets/jeton-agent/").contains("--state-dir ");
        assertThat(texts(pod.at("/initContainers/0/command"))).containsSubsequence("169.254.169.254/32", "lo");
        assertThat(texts(pod.at("/containers/0/securityContext/capabilities/add"))).containsExactly("NET_BIND_SERVICE");
        // The agent's own command line parses these arguments (the kubelet's $(NODE_NAME) stands in for a name), or this fails.
        String[] resolved = args.stream().map(a -> a.replace("$(NODE_NAME)", "node-1")).toArray(String[]::new);
        var parsed = Jeton.commandLine().parseArgs(resolved);
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("agent");
        assertThat(parsed.subcommand().matchedOptionValue("--node", "")).isEqualTo("node-1");
    }

    @Test
    void kubeletCredentialProviderConfigCallsJetonsProviderWithArgumentsItAccepts() throws Exception {
        JsonNode config = KubernetesSchemas.documents(Files.readString(KUBERNETES.resolve("kubelet/credential-provider-config.yaml"))).get(0);
        assertThat(config.at("/apiVersion").asText()).isEqualTo("kubelet.config.k8s.io/v1");
        assertThat(config.at("/kind").asText()).isEqualTo("CredentialProviderConfig");
        JsonNode provider = config.at("/providers/0");
        assertThat(provider.at("/apiVersion").asText()).isEqualTo("credentialprovider.kubelet.k8s.io/v1");
        assertThat(provider.at("/tokenAttributes/serviceAccountTokenAudience").asText()).isNotEmpty();
        List<String> args = texts(provider.at("/args"));
        // The same command line the kubelet will run: picocli parses it, or this fails.
        var parsed = Jeton.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("credential-provider");
        JsonNode rbac = one(KubernetesSchemas.render(KUBERNETES.resolve("kubelet")), "ClusterRole", "jeton-registry-audience");
        assertThat(texts(rbac.at("/rules/0/resources"))).containsExactly(provider.at("/tokenAttributes/serviceAccountTokenAudience").asText());
    }

    private static JsonNode one(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static List<String> kinds(List<JsonNode> objects) {
        return objects.stream().map(o -> o.path("kind").asText()).toList();
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) if (e.path("name").asText().equals(name)) return e.path("value").asText();
        return null;
    }

    private static JsonNode mountOf(JsonNode pod, JsonNode container, String path) {
        String volume = null;
        for (JsonNode m : container.path("volumeMounts")) if (m.path("mountPath").asText().equals(path)) volume = m.path("name").asText();
        for (JsonNode v : pod.path("volumes")) if (v.path("name").asText().equals(volume)) return v;
        throw new AssertionError("nothing mounted at " + path);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int mebibytes(String quantity) {
        if (quantity.endsWith("Mi")) return Integer.parseInt(quantity.substring(0, quantity.length() - 2));
        if (quantity.endsWith("Gi")) return Integer.parseInt(quantity.substring(0, quantity.length() - 2)) * 1024;
        throw new AssertionError("unexpected quantity " + quantity);
    }
}
