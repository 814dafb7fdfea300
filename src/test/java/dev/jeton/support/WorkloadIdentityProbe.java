package dev.jeton.support;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Azure workload identity with the real Azure Identity SDK, in a child JVM whose environment is
 * what the AKS webhook injects (AZURE_AUTHORITY_HOST, AZURE_TENANT_ID, AZURE_CLIENT_ID,
 * AZURE_FEDERATED_TOKEN_FILE) and nothing else of Azure's. MODE {@code managed}:
 * ManagedIdentityCredential, which posts the federated token straight to the token endpoint;
 * {@code workload}: WorkloadIdentityCredential through MSAL, with the builder's
 * {@code disableInstanceDiscovery()} so MSAL does not ask Microsoft's cloud about the host.
 */
public final class WorkloadIdentityProbe {
    private WorkloadIdentityProbe() {
    }

    public record Settings(String authorityHost, String tenantId, String clientId, Path federatedTokenFile, Path trustStore) {
    }

    public static AzureIdentityProbe.Run run(Settings s, String mode, String scope) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djavax.net.ssl.trustStore=" + s.trustStore(), "-Djavax.net.ssl.trustStorePassword=changeit",
                "-Djavax.net.ssl.trustStoreType=PKCS12", "-cp", classpath, WorkloadIdentityProbe.class.getName(), mode, scope));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("IDENTITY_") || k.startsWith("MSI_") || k.equals("IMDS_ENDPOINT"));
        env.put("AZURE_AUTHORITY_HOST", s.authorityHost());
        env.put("AZURE_TENANT_ID", s.tenantId());
        env.put("AZURE_CLIENT_ID", s.clientId());
        env.put("AZURE_FEDERATED_TOKEN_FILE", s.federatedTokenFile().toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the Azure SDK probe did not finish in 120 s:\n" + out);
        }
        return new AzureIdentityProbe.Run(p.exitValue(), out);
    }

    public static void main(String[] args) {
        TokenCredential credential = switch (args[0]) {
            case "managed" -> new ManagedIdentityCredentialBuilder().clientId(System.getenv("AZURE_CLIENT_ID")).build();
            case "workload" -> new WorkloadIdentityCredentialBuilder().disableInstanceDiscovery().build();
            default -> throw new IllegalArgumentException(args[0]);
        };
        AccessToken token = credential.getTokenSync(new TokenRequestContext().addScopes(args[1]));
        System.out.println("TOKEN " + token.getToken());
        System.out.println("EXPIRES " + token.getExpiresAt().toEpochSecond());
    }
}
