package dev.jeton.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The real @azure/identity SDK for JavaScript under the machine's Node.js: installed once into
 * target/azure-identity-js with {@code npm ci} from the lockfile in the test resources (versions
 * pinned, integrity-checked), then run in a child process whose only Azure setting is
 * AZURE_POD_IDENTITY_AUTHORITY_HOST. A machine without Node.js 20+ and npm fails the test.
 */
public final class AzureIdentityJs {
    private static final String RESOURCES = "/azure-identity-js/";
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
    public static synchronized Path install() {
        requireNode();
        Path dir = Path.of("target", "azure-identity-js").toAbsolutePath();
        try {
            Files.createDirectories(dir);
            boolean current = Files.isRegularFile(dir.resolve("node_modules/.package-lock.json"))
                    && Arrays.equals(resource("package-lock.json"), Files.exists(dir.resolve("package-lock.json"))
                    ? Files.readAllBytes(dir.resolve("package-lock.json")) : new byte[0]);
            for (String f : FILES) Files.write(dir.resolve(f), resource(f));
            if (!current) {
                Files.deleteIfExists(dir.resolve("node_modules/.package-lock.json"));
                String out = run(dir, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 10);
                if (!Files.isRegularFile(dir.resolve("node_modules/@azure/identity/package.json"))) {
                    throw new IllegalStateException("npm ci did not install @azure/identity:\n" + out);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // core-rest-pipeline honours the proxy variables: the requests must reach Jeton directly.
        pb.environment().keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("IDENTITY_") || k.startsWith("MSI_")
                || k.equals("IMDS_ENDPOINT") || List.of("http_proxy", "https_proxy", "all_proxy").contains(k.toLowerCase(Locale.ROOT)));
        pb.environment().putAll(azureEnv);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the JS Azure SDK probe did not finish in 120 s:\n" + out);
            }
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void requireNode() {
        String version;
        try {
            version = run(Path.of("."), List.of("node", "--version"), 1).trim();
            run(Path.of("."), List.of("npm", "--version"), 1);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("AzureJsSdkTest needs Node.js " + MIN_NODE_MAJOR + "+ and npm on PATH: " + e.getMessage(), e);
        }
        int major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
        if (major < MIN_NODE_MAJOR) {
            throw new IllegalStateException("AzureJsSdkTest needs Node.js " + MIN_NODE_MAJOR + "+ (@azure/identity 4.13), found " + version);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = AzureIdentityJs.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + RESOURCES + name);
            return in.readAllBytes();
        }
    }

    private static String run(Path dir, List<String> command, int minutes) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(minutes, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
