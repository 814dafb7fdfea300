package dev.jeton.support;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs in a child JVM (the SDK reads its IMDS redirect from the real process environment and
 * caches tokens JVM-wide): gets one token with the real Azure Identity SDK and prints it.
 * Arguments: MODE SCOPE [ID], MODE one of system, client-id, resource-id, object-id, default.
 */
public final class AzureIdentityProbe {
    private AzureIdentityProbe() {
    }

    /** What the child JVM printed and how it ended; {@code token()} is the token it got. */
    public record Run(int exitCode, String output) {
        public String token() {
            return output.lines().filter(l -> l.startsWith("TOKEN ")).findFirst()
                    .orElseThrow(() -> new AssertionError("the Azure SDK got no token:\n" + output)).substring(6);
        }
    }

    /**
     * Starts the probe in a child JVM whose only Azure setting points the SDK at {@code imdsUrl};
     * {@code jvmOptions} such as a trust store come before the class name.
     */
    public static Run run(String imdsUrl, List<String> jvmOptions, String... args) throws Exception {
        return runWith(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", imdsUrl), jvmOptions, args);
    }

    /**
     * Starts the probe with only these Azure variables set, such as {@code IDENTITY_ENDPOINT} and
     * {@code IDENTITY_HEADER} for App Service's endpoint, or {@code IDENTITY_ENDPOINT} and
     * {@code IMDS_ENDPOINT} for Azure Arc's.
     */
    public static Run runWith(Map<String, String> azureEnv, List<String> jvmOptions, String... args) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, AzureIdentityProbe.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("IDENTITY_") || k.startsWith("MSI_") || k.equals("IMDS_ENDPOINT"));
        env.putAll(azureEnv);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the Azure SDK probe did not finish in 120 s:\n" + out);
        }
        return new Run(p.exitValue(), out);
    }

    public static void main(String[] args) {
        String mode = args[0];
        String scope = args[1];
        TokenCredential credential = switch (mode) {
            case "system" -> new ManagedIdentityCredentialBuilder().build();
            case "client-id" -> new ManagedIdentityCredentialBuilder().clientId(args[2]).build();
            case "resource-id" -> new ManagedIdentityCredentialBuilder().resourceId(args[2]).build();
            case "object-id" -> new ManagedIdentityCredentialBuilder().objectId(args[2]).build();
            case "default" -> new DefaultAzureCredentialBuilder().build();
            default -> throw new IllegalArgumentException(mode);
        };
        AccessToken token = credential.getTokenSync(new TokenRequestContext().addScopes(scope));
        System.out.println("TOKEN " + token.getToken());
        System.out.println("EXPIRES " + token.getExpiresAt().toEpochSecond());
    }
}
