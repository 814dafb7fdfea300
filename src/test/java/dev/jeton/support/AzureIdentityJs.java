package dev.jeton.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The real @azure/identity SDK for JavaScript under the machine's Node.js: installed once into
 * target/azure-identity-js from the lockfile in the test resources ({@link NodeProject}), then run in a child process whose only Azure setting is
 * AZURE_POD_IDENTITY_AUTHORITY_HOST. A machine without Node.js 20+ and npm fails the test.
 */
public final class AzureIdentityJs {
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "probe.js");
    private static final int MIN_NODE_MAJOR = 20;

    private AzureIdentityJs() {
    }

    /** What the probe printed and how it ended; {@code token()} is the token it got. */
    public record Run(int exitCode, String output) {
        public String token() { return line("TOKEN "); }

        public long expiresAt() { return Long.parseLong(line("EXPIRES ")); }

        private String line(String prefix) {
            return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("the JS Azure SDK printed no " + prefix.trim() + ":\n" + output)).substring(prefix.length());
        }
    }

    /** Installs the SDK when the lockfile differs from the installed one; fails loudly without Node.js 20+ or npm. */
    public static Path install() {
        return NodeProject.install("azure-identity-js", FILES, "node_modules/@azure/identity/package.json", MIN_NODE_MAJOR);
    }

    /** Runs probe.js (MODE SCOPE [ID]) against {@code imdsUrl}, with no other Azure setting in its environment. */
    public static Run run(String imdsUrl, String... args) {
        return runWith(java.util.Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", imdsUrl), args);
    }

    /** Runs probe.js with only these Azure variables set (IDENTITY_ENDPOINT and IDENTITY_HEADER for App Service's endpoint). */
    public static Run runWith(java.util.Map<String, String> azureEnv, String... args) {
        Path dir = install();
        List<String> command = new ArrayList<>(List.of("node", "probe.js"));
        command.addAll(List.of(args));
        // core-rest-pipeline honours the proxy variables: the requests must reach Jeton directly.
        NodeProject.Output out = NodeProject.run(dir, command, env -> {
            env.keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("IDENTITY_") || k.startsWith("MSI_")
                    || k.equals("IMDS_ENDPOINT") || List.of("http_proxy", "https_proxy", "all_proxy").contains(k.toLowerCase(Locale.ROOT)));
            env.putAll(azureEnv);
        }, 120);
        return new Run(out.exitCode(), out.text());
    }
}
