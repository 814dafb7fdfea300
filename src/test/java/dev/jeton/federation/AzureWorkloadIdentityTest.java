package dev.jeton.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.config.Setting;
import dev.jeton.model.ManagedIdentity;
import dev.jeton.support.AuditTrail;
import dev.jeton.support.AzureIdentityProbe;
import dev.jeton.support.Jetons;
import dev.jeton.support.OpenSsl;
import dev.jeton.support.WorkloadIdentityProbe;
import dev.jeton.support.WorkloadIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azure workload identity against Jeton over HTTPS (--dev-tls), with the real Azure Identity SDK
 * for Java in a child JVM set up as the AKS webhook sets up a pod: the SDK reads a Kubernetes
 * service-account token from AZURE_FEDERATED_TOKEN_FILE and trades it at
 * {AZURE_AUTHORITY_HOST}/{tenant}/oauth2/v2.0/token for a token of the managed identity that a
 * trust policy maps it to. Both of the SDK's paths: ManagedIdentityCredential and
 * WorkloadIdentityCredential (MSAL, instance discovery off).
 */
class AzureWorkloadIdentityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @TempDir
    static Path dir;
    static WorkloadIssuer cluster;
    static Jetons.Running jeton;
    static ManagedIdentity builder;
    static Path tokenFile;
    static Path trustStore;
    static HttpClient trusting;

    @BeforeAll
    static void start() throws Exception {
        cluster = WorkloadIssuer.start(Clock.systemUTC());
        jeton = Jetons.start(dir.resolve("jeton"), Clock.systemUTC(), Map.of(Setting.DEV_TLS, "true"));
        builder = jeton.wiring().admin().identities().add("builder", null, null, null);
        jeton.wiring().admin().trust().add(new dev.jeton.engine.federation.TrustAdmin.Draft("aks-builder", cluster.issuer(),
                "api://AzureADTokenExchange", "system:serviceaccount:ci:builder", java.util.List.of("/kubernetes.io/namespace=ci"),
                "identity:builder", null, null));
        tokenFile = Files.writeString(dir.resolve("azure-identity-token"),
                cluster.sign(cluster.kubernetes("ci", "builder", "api://AzureADTokenExchange")));
        trustStore = OpenSsl.trustStore(jeton.wiring().devCertificate(), dir.resolve("truststore.p12"), "changeit");
        SSLContext tls = OpenSsl.trusting(jeton.wiring().devCertificate());
        trusting = HttpClient.newBuilder().sslContext(tls).build();
    }

    @AfterAll
    static void stop() {
        jeton.close();
        cluster.close();
    }

    private static WorkloadIdentityProbe.Settings pod(String clientId, Path federatedToken) {
        return new WorkloadIdentityProbe.Settings(jeton.wiring().baseUrl(), builder.tenantId(), clientId, federatedToken, trustStore);
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    void managedIdentityCredentialWhenPodHasFederatedTokenThenTokenOfTheMappedIdentity() throws Exception {
        AzureIdentityProbe.Run run = WorkloadIdentityProbe.run(pod(builder.clientId(), tokenFile), "managed",
                "https://vault.azure.net/.default");

        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonNode token = claims(run.token());
        assertThat(token.get("aud").asText()).isEqualTo("https://vault.azure.net");
        assertThat(token.get("appid").asText()).isEqualTo(builder.clientId());
        assertThat(token.get("xms_mirid").asText()).isEqualTo(builder.resourceId());
        assertThat(token.get("iss").asText()).isEqualTo(jeton.wiring().baseUrl() + "/" + builder.tenantId());
    }

    @Test
    void workloadIdentityCredentialWhenInstanceDiscoveryDisabledThenTokenThroughMsal() throws Exception {
        AzureIdentityProbe.Run run = WorkloadIdentityProbe.run(pod(builder.clientId(), tokenFile), "workload",
                "https://storage.azure.com/.default");

        assertThat(run.exitCode()).as(run.output()).isZero();
        JsonNode token = claims(run.token());
        assertThat(token.get("aud").asText()).isEqualTo("https://storage.azure.com");
        assertThat(token.get("oid").asText()).isEqualTo(builder.objectId());
    }

    @Test
    void managedIdentityCredentialWhenTokenMatchesNoPolicyThenTheSdkFailsAndTheAuditSaysWhy() throws Exception {
        Path otherToken = Files.writeString(dir.resolve("other-token"),
                cluster.sign(cluster.kubernetes("prod", "builder", "api://AzureADTokenExchange")));

        AzureIdentityProbe.Run run = WorkloadIdentityProbe.run(pod(builder.clientId(), otherToken), "managed",
                "https://vault.azure.net/.default");

        assertThat(run.exitCode()).isNotZero();
        AuditTrail.of(dir.resolve("jeton")).await("event", "refused", "grant", "client_assertion", "reason", "policy.no_match");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("no client_assertion", "grant_type=client_credentials&client_id=%s&scope=https%%3A%%2F%%2Fvault.azure.net%%2F.default",
                        400, "invalid_request"),
                Arguments.of("wrong assertion type", "grant_type=client_credentials&client_id=%s&client_assertion_type=urn:x&client_assertion=a.b.c"
                        + "&scope=https%%3A%%2F%%2Fvault.azure.net%%2F.default", 400, "invalid_request"),
                Arguments.of("no scope", "grant_type=client_credentials&client_id=%s&client_assertion_type=" + ASSERTION_TYPE
                        + "&client_assertion=" + "TOKEN", 400, "invalid_request"),
                Arguments.of("scope that is not RESOURCE/.default", "grant_type=client_credentials&client_id=%s&client_assertion_type="
                        + ASSERTION_TYPE + "&client_assertion=TOKEN&scope=read", 400, "invalid_scope"),
                Arguments.of("another grant", "grant_type=password&client_id=%s&username=a&password=b", 400, "unsupported_grant_type"),
                Arguments.of("assertion for another identity", "grant_type=client_credentials&client_id=00000000-1111-2222-3333-444444444444"
                        + "&client_assertion_type=" + ASSERTION_TYPE + "&client_assertion=TOKEN&scope=https%%3A%%2F%%2Fvault.azure.net%%2F.default",
                        401, "invalid_client"),
                Arguments.of("assertion that is not a JWT", "grant_type=client_credentials&client_id=%s&client_assertion_type=" + ASSERTION_TYPE
                        + "&client_assertion=nope&scope=https%%3A%%2F%%2Fvault.azure.net%%2F.default", 401, "invalid_client"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void tokenWhenRequestIsWrongThenEntraShapedError(String name, String form, int status, String error) throws Exception {
        String body = form.replace("%s", builder.clientId()).replace("%%", "%")
                .replace("TOKEN", URLEncoder.encode(Files.readString(tokenFile), StandardCharsets.UTF_8));
        HttpResponse<String> res = trusting.send(HttpRequest.newBuilder(URI.create(jeton.wiring().baseUrl() + "/" + builder.tenantId()
                        + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        JsonNode json = JSON.readTree(res.body());
        assertThat(json.get("error").asText()).isEqualTo(error);
        assertThat(json.get("error_description").asText()).isNotBlank();
        assertThat(json.get("error_codes").isArray()).isTrue();
        assertThat(res.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void tokenWhenGetThenMethodNotAllowed() throws Exception {
        HttpResponse<String> res = trusting.send(HttpRequest.newBuilder(URI.create(jeton.wiring().baseUrl() + "/" + builder.tenantId()
                + "/oauth2/v2.0/token")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(405);
        assertThat(res.headers().firstValue("Allow")).hasValue("POST");
    }

}
