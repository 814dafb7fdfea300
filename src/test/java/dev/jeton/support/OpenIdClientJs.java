package dev.jeton.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * openid-client, the OpenID-certified relying party library for Node.js, installed once into
 * target/openid-client-js with {@code npm ci} from the lockfile in the test resources (version
 * pinned, integrity-checked) and run as a child process. A machine without Node.js 20+ and npm
 * fails the test.
 */
public final class OpenIdClientJs {
    private static final String RESOURCES = "/openid-client-js/";
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "probe.js");
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenIdClientJs() {
    }

    /** What the probe printed (one JSON object per step) and how it ended. */
    public record Run(int exitCode, String output) {
        public JsonNode step(String name) {
            for (String line : output.lines().toList()) {
                if (!line.startsWith("{")) continue;
                try {
                    JsonNode node = JSON.readTree(line);
                    if (name.equals(node.path("step").asText())) return node;
                } catch (IOException e) {
                    // not one of the probe's lines
                }
            }
            throw new AssertionError("openid-client printed no step '" + name + "':\n" + output);
        }
    }

    /** Runs probe.js with {@code args} (ISSUER CLIENT_ID REDIRECT_URI USERNAME PASSWORD AUTH [ID_TOKEN_ALG]). */
    public static Run run(String... args) {
        Path dir = install();
        List<String> command = new ArrayList<>(List.of("node", "probe.js"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // Node's fetch may honour proxy variables: the requests must reach Jeton directly.
        pb.environment().keySet().removeIf(k -> List.of("http_proxy", "https_proxy", "all_proxy", "node_options").contains(k.toLowerCase(Locale.ROOT)));
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the openid-client probe did not finish in 120 s:\n" + out);
            }
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Installs the library when the lockfile differs from the installed one. */
    public static synchronized Path install() {
        String version = command(Path.of("."), List.of("node", "--version"), 1).trim();
        command(Path.of("."), List.of("npm", "--version"), 1);
        if (Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]) < 20) {
            throw new IllegalStateException("openid-client 6 needs Node.js 20+, found " + version);
        }
        Path dir = Path.of("target", "openid-client-js").toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Path lock = dir.resolve("package-lock.json");
            boolean current = Files.isRegularFile(dir.resolve("node_modules/.package-lock.json"))
                    && Arrays.equals(resource("package-lock.json"), Files.exists(lock) ? Files.readAllBytes(lock) : new byte[0]);
            for (String f : FILES) Files.write(dir.resolve(f), resource(f));
            if (!current) {
                Files.deleteIfExists(dir.resolve("node_modules/.package-lock.json"));
                String out = command(dir, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 10);
                if (!Files.isRegularFile(dir.resolve("node_modules/openid-client/package.json"))) {
                    throw new IllegalStateException("npm ci did not install openid-client:\n" + out);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OpenIdClientJs.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + RESOURCES + name);
            return in.readAllBytes();
        }
    }

    private static String command(Path dir, List<String> command, int minutes) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(minutes, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("openid-client tests need Node.js 20+ and npm on PATH: cannot run "
                    + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
