package dev.jeton.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jeton.config.Setting;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.DockerRegistry;
import dev.jeton.support.InProcessCli;
import dev.jeton.support.Jetons;
import dev.jeton.support.OciImage;
import dev.jeton.support.Skopeo;
import dev.jeton.support.WorkloadIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jeton credential-provider} as the kubelet runs it, end to end: the kubelet's exact
 * CredentialProviderRequest on stdin (service-account-token mode), a Kubernetes service-account
 * token that a trust policy maps to a principal, and the printed credentials used by skopeo to
 * pull from a real Docker Distribution registry whose token server is Jeton. The response is held
 * to what the kubelet's decoder accepts: the request's apiVersion, strict fields, a valid
 * cacheKeyType, a Go duration, auth keyed by the registry host.
 */
class KubeletCredentialProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = "credentialprovider.kubelet.k8s.io/v1";
    private static final String V1BETA1 = "credentialprovider.kubelet.k8s.io/v1beta1";
    private static final String ZERO_GUID = "00000000-0000-0000-0000-000000000000";
    /** The kubelet's tokenAttributes.serviceAccountTokenAudience. */
    private static final String AUDIENCE = "jeton-registry";

    @TempDir
    static Path dir;
    static Path jetonDir;
    static WorkloadIssuer cluster;
    static Jetons.Running jeton;
    static DockerRegistry registry;
    static Skopeo skopeo;
    static Path image;

    @BeforeAll
    static void start() throws Exception {
        // Real time throughout: the registry checks Jeton's tokens against its own clock.
        cluster = WorkloadIssuer.start(Clock.systemUTC());
        jetonDir = dir.resolve("jeton");
        // Policies and rules come from the CLI, in effect another process: the server rereads them at every request.
        jeton = Jetons.start(jetonDir, Clock.systemUTC(), Map.of(Setting.RECHECK_INTERVAL, "0s"));
        String pusherSecret = cli("client", "add", "pusher", "--grant", "client_credentials", "--json").json()
                .get("client_secret").asText();
        cli("identity", "add", "web-puller");
        String jwks = cluster.writeJwks(dir.resolve("cluster-jwks.json")).toString();
        cli("trust", "add", "k8s-web", "--issuer", cluster.issuer(), "--audience", AUDIENCE, "--subject", "system:serviceaccount:shop:web",
                "--claim", "/kubernetes.io/namespace=shop", "--as", "identity:web-puller", "--jwks-file", jwks);
        cli("trust", "add", "k8s-batch", "--issuer", cluster.issuer(), "--audience", AUDIENCE, "--subject", "system:serviceaccount:batch:*",
                "--as", "group:batch-jobs", "--jwks-file", jwks);
        cli("rule", "add", "--subject", "app:pusher", "--repo", "apps/*", "--actions", "pull,push");
        cli("rule", "add", "--subject", "identity:web-puller", "--repo", "apps/web", "--actions", "pull");
        cli("rule", "add", "--subject", "group:batch-jobs", "--repo", "apps/*", "--actions", "pull");
        Path bundle = dir.resolve("bundle.pem");
        cli("registry", "cert", "--out", bundle.toString());
        registry = DockerRegistry.start(Files.createDirectories(dir.resolve("registry")), jeton.baseUrl(), bundle);
        skopeo = new Skopeo(dir.resolve("skopeo"));
        image = OciImage.write(dir.resolve("image"), "hello from a kubelet pull\n");
        assertOk(skopeo.push(image, registry.address(), "apps/web:1", "pusher:" + pusherSecret));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) registry.close();
        if (jeton != null) jeton.close();
        if (cluster != null) cluster.close();
    }

    private static InProcessCli.Result cli(String... args) {
        String[] withDir = Stream.concat(Stream.of(args), Stream.of("--data-dir", jetonDir.toString())).toArray(String[]::new);
        InProcessCli.Result result = InProcessCli.run("", withDir);
        assertThat(result.code()).as(result.err()).isZero();
        return result;
    }

    /** The plugin as the kubelet's config runs it: args [credential-provider, --server, URL, --service, NAME]. */
    private static InProcessCli.Result provider(String stdin) {
        return InProcessCli.run(stdin, "credential-provider", "--server", jeton.baseUrl(), "--service", DockerRegistry.SERVICE);
    }

    /** What the kubelet writes on stdin in service-account-token mode (Kubernetes 1.34+, tokenAttributes set). */
    private static String request(String apiVersion, String reference, String serviceAccountToken) {
        ObjectNode request = JSON.createObjectNode();
        request.put("kind", "CredentialProviderRequest");
        request.put("apiVersion", apiVersion);
        request.put("image", registry.address() + "/" + reference);
        if (serviceAccountToken != null) request.put("serviceAccountToken", serviceAccountToken);
        request.putObject("serviceAccountAnnotations");
        return request.toString();
    }

    private static String serviceAccountToken(String namespace, String name) {
        return cluster.sign(cluster.kubernetes(namespace, name, AUDIENCE));
    }

    private static void assertOk(Skopeo.Result r) throws Exception {
        assertThat(r.ok()).as("skopeo: %s%nregistry log:%n%s", r.output(), registry.log()).isTrue();
    }

    private static Path fresh(String name) throws Exception {
        return Files.createDirectories(dir.resolve("pulled-" + name + "-" + System.nanoTime()));
    }

    /**
     * The response as the kubelet reads it (pkg/credentialprovider/plugin): the same apiVersion as
     * the request, kind CredentialProviderResponse, decoded strictly (no unknown field), a
     * cacheKeyType of Image, Registry or Global (anything else is discarded), a cacheDuration that
     * Go's time.ParseDuration reads, and, since the cache type is not Token, a password that is
     * not the service-account token echoed back. Returns "username:password" of the registry host.
     */
    private static String assertKubeletAccepts(String stdout, String apiVersion, String serviceAccountToken) throws Exception {
        JsonNode response = JSON.readTree(stdout);
        assertThat(fieldNames(response)).containsExactlyInAnyOrder("apiVersion", "kind", "cacheKeyType", "cacheDuration", "auth");
        assertThat(response.get("apiVersion").asText()).isEqualTo(apiVersion);
        assertThat(response.get("kind").asText()).isEqualTo("CredentialProviderResponse");
        assertThat(response.get("cacheKeyType").asText()).isIn("Image", "Registry", "Global");
        Duration cache = goDuration(response.get("cacheDuration").asText());
        // Within the registry refresh token's own life, which the policies' --max-ttl (default 1h) caps: the kubelet never holds a dead one.
        assertThat(cache).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
        JsonNode auth = response.get("auth");
        assertThat(fieldNames(auth)).containsExactly(registry.address());
        JsonNode entry = auth.get(registry.address());
        assertThat(fieldNames(entry)).containsExactlyInAnyOrder("username", "password");
        assertThat(entry.get("username").asText()).isEqualTo(ZERO_GUID);
        String password = entry.get("password").asText();
        assertThat(password).isNotBlank().isNotEqualTo(serviceAccountToken);
        return entry.get("username").asText() + ":" + password;
    }

    private static List<String> fieldNames(JsonNode node) {
        assertThat(node.isObject()).as("a JSON object: %s", node).isTrue();
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    /** Go's time.ParseDuration, the syntax of metav1.Duration: one or more NUMBER UNIT, or "0". */
    private static Duration goDuration(String text) {
        assertThat(text).matches("0|(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+");
        Duration total = Duration.ZERO;
        Matcher m = GO_DURATION_PART.matcher(text);
        while (m.find()) {
            double n = Double.parseDouble(m.group(1));
            long nanosPerUnit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.plusNanos((long) (n * nanosPerUnit));
        }
        return total;
    }

    @Test
    void credentialProviderWhenServiceAccountMapsToAnIdentityThenTheKubeletGetsCredentialsThatPull() throws Exception {
        String token = serviceAccountToken("shop", "web");

        InProcessCli.Result result = provider(request(V1, "apps/web:1", token));

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        String creds = assertKubeletAccepts(result.out(), V1, token);
        assertOk(skopeo.pull(registry.address(), "apps/web:1", fresh("identity"), creds));
        // The identity's rule allows pull only, and only of apps/web.
        assertThat(skopeo.push(image, registry.address(), "apps/web:2", creds).ok()).isFalse();
        AuditTrail.of(jetonDir).await("event", "issued", "dialect", "registry", "kind", "managed_identity");
    }

    @Test
    void credentialProviderWhenServiceAccountMapsToAGroupThenTheGroupsRulesDecide() throws Exception {
        String token = serviceAccountToken("batch", "etl");

        InProcessCli.Result result = provider(request(V1, "apps/web:1", token));

        assertThat(result.code()).as(result.err()).isZero();
        String creds = assertKubeletAccepts(result.out(), V1, token);
        assertOk(skopeo.pull(registry.address(), "apps/web:1", fresh("group"), creds));
        assertThat(skopeo.push(image, registry.address(), "apps/etl:1", creds).ok()).isFalse();
        // Registry tokens of a group-mapped workload name its policy as the user (the registry logs it).
        assertThat(registry.log()).as("the registry authorized the workload by our token").contains("auth.user.name=k8s-batch");
    }

    @Test
    void credentialProviderWhenRequestIsV1beta1ThenResponseIsV1beta1() throws Exception {
        String token = serviceAccountToken("shop", "web");

        InProcessCli.Result result = provider(request(V1BETA1, "apps/web:1", token));

        assertThat(result.code()).as(result.err()).isZero();
        String creds = assertKubeletAccepts(result.out(), V1BETA1, token);
        assertOk(skopeo.pull(registry.address(), "apps/web:1", fresh("v1beta1"), creds));
    }

    @Test
    void credentialProviderWhenTokenMatchesNoPolicyThenExit1ReasonOnStderrAndNothingOnStdout() throws Exception {
        String token = serviceAccountToken("prod", "web");

        InProcessCli.Result result = provider(request(V1, "apps/web:1", token));

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("jeton credential-provider: Jeton refused the service-account token (401): "
                + "no trust policy matches the token's subject and claims\n");
        AuditTrail.of(jetonDir).await("event", "refused", "dialect", "registry", "reason", "policy.no_match");
    }

    @Test
    void credentialProviderWhenRequestCarriesNoServiceAccountTokenThenExit1SayingHowToConfigureTheKubelet() {
        InProcessCli.Result result = provider(request(V1, "apps/web:1", null));

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("jeton credential-provider: the request carries no serviceAccountToken: configure the "
                + "provider with tokenAttributes (service-account-token mode) in the kubelet's CredentialProviderConfig\n");
    }

    @Test
    void credentialProviderWhenJetonServesHttpsThenCacertTrustsItAndWithoutItExit1() throws Exception {
        Path tlsDir = dir.resolve("jeton-tls");
        try (Jetons.Running tls = Jetons.start(tlsDir, Clock.systemUTC(), Map.of(Setting.RECHECK_INTERVAL, "0s", Setting.DEV_TLS, "true"))) {
            InProcessCli.Result added = InProcessCli.run("", "trust", "add", "k8s-batch", "--issuer", cluster.issuer(), "--audience", AUDIENCE,
                    "--subject", "system:serviceaccount:batch:*", "--as", "group:batch-jobs", "--jwks-file",
                    dir.resolve("cluster-jwks.json").toString(), "--data-dir", tlsDir.toString());
            assertThat(added.code()).as(added.err()).isZero();
            String token = serviceAccountToken("batch", "etl");
            assertThat(tls.baseUrl()).startsWith("https://");

            InProcessCli.Result trusted = InProcessCli.run(request(V1, "apps/web:1", token), "credential-provider", "--server", tls.baseUrl(),
                    "--service", DockerRegistry.SERVICE, "--cacert", tls.wiring().devCertificate().toString());
            InProcessCli.Result untrusted = InProcessCli.run(request(V1, "apps/web:1", token), "credential-provider", "--server",
                    tls.baseUrl(), "--service", DockerRegistry.SERVICE);

            assertThat(trusted.code()).as(trusted.err()).isZero();
            assertKubeletAccepts(trusted.out(), V1, token);
            assertThat(untrusted.code()).isEqualTo(1);
            assertThat(untrusted.out()).isEmpty();
            assertThat(untrusted.err()).isEqualTo("jeton credential-provider: Jeton at " + tls.baseUrl() + " is not trusted: its TLS "
                    + "certificate does not verify (give its CA certificate with --cacert or JETON_CACERT)\n");
        }
    }

    static Stream<Arguments> badInvocations() {
        String v1 = "{\"apiVersion\":\"" + V1 + "\",\"kind\":\"CredentialProviderRequest\",\"image\":\"127.0.0.1:5000/a:1\","
                + "\"serviceAccountToken\":\"x.y.z\"}";
        return Stream.of(
                Arguments.of("stdin not JSON", "image: a", List.of(), "the kubelet's request on stdin is not JSON"),
                Arguments.of("stdin empty", "", List.of(), "the kubelet's request on stdin is not a JSON object"),
                Arguments.of("a JSON array", "[]", List.of(), "the kubelet's request on stdin is not a JSON object"),
                Arguments.of("unknown apiVersion", v1.replace(V1, "credentialprovider.kubelet.k8s.io/v2"), List.of(),
                        "unsupported apiVersion 'credentialprovider.kubelet.k8s.io/v2'"),
                Arguments.of("another kind", v1.replace("CredentialProviderRequest", "CredentialProviderResponse"), List.of(),
                        "kind must be CredentialProviderRequest"),
                Arguments.of("no image", v1.replace("\"image\":\"127.0.0.1:5000/a:1\",", ""), List.of(), "the request names no image"),
                Arguments.of("no --server", v1, List.of("--server", ""), "--server (or JETON_SERVER) is required"),
                Arguments.of("--server not a URL", v1, List.of("--server", "jeton.example"),
                        "--server must be Jeton's http:// or https:// URL"),
                Arguments.of("Jeton unreachable", v1, List.of("--server", "http://127.0.0.1:1"), "Jeton at http://127.0.0.1:1 cannot be reached"),
                Arguments.of("--cacert missing", v1, List.of("--cacert", "/nonexistent/ca.pem"),
                        "cannot read --cacert /nonexistent/ca.pem: no such file"),
                Arguments.of("--cacert not PEM", v1, List.of("--cacert", notPem().toString()), "--cacert " + notPem() + " holds no PEM certificate"));
    }

    private static Path notPem() {
        try {
            Path file = dir.resolve("not-a-cert.pem");
            return Files.exists(file) ? file : Files.writeString(file, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInvocations")
    void credentialProviderWhenInvokedWronglyThenExit1OneLineOnStderrNothingOnStdout(String name, String stdin, List<String> flags,
                                                                                    String message) {
        List<String> args = new ArrayList<>(List.of("credential-provider", "--service", DockerRegistry.SERVICE));
        if (!flags.contains("--server")) args.addAll(List.of("--server", jeton.baseUrl()));
        args.addAll(flags);

        InProcessCli.Result result = InProcessCli.run(stdin, args.toArray(String[]::new));

        assertThat(result.code()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("jeton credential-provider: " + message).endsWith("\n");
        assertThat(result.err().strip()).doesNotContain("\n").doesNotContain("Exception").doesNotContain("x.y.z");
    }

    /**
     * The kubelet execs the plugin with the request on a pipe and reads stdout whole: run as an OS
     * process, configured by environment as the CredentialProviderConfig's env does, stdout must
     * hold the response and nothing else, well within the kubelet's one-minute timeout.
     */
    @Test
    void credentialProviderWhenExecedAsItsOwnProcessThenStdoutIsTheResponseAlone() throws Exception {
        String token = serviceAccountToken("shop", "web");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                "dev.jeton.Jeton", "credential-provider");
        pb.environment().keySet().removeIf(k -> k.startsWith("JETON_"));
        pb.environment().put("JETON_SERVER", jeton.baseUrl());
        pb.environment().put("JETON_REGISTRY_SERVICE", DockerRegistry.SERVICE);
        Process p = pb.start();
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(request(V1, "apps/web:1", token).getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the plugin ran past the kubelet's one-minute timeout");
        }
        String out = new String(stdout.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        String err = new String(stderr.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(err).isZero();
        assertThat(out).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
        String creds = assertKubeletAccepts(out, V1, token);
        assertOk(skopeo.pull(registry.address(), "apps/web:1", fresh("process"), creds));
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
