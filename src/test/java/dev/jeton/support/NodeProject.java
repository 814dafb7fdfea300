package dev.jeton.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Node.js project kept in the test resources (package.json, package-lock.json and its
 * scripts), installed into target/NAME with {@code npm ci} (versions pinned, integrity-checked)
 * when its lockfile differs from the installed one. A machine without Node.js and npm fails.
 */
public final class NodeProject {
    private NodeProject() {
    }

    /** What a script printed (stdout and stderr) and how it ended. */
    public record Output(int exitCode, String text) {
    }

    /** Installs {@code /NAME/} from the test resources; {@code installed} is a file npm ci must have made. */
    public static synchronized Path install(String name, List<String> files, String installed, int minNodeMajor) {
        requireNode(name, minNodeMajor);
        Path dir = Path.of("target", name).toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Path lock = dir.resolve("package-lock.json");
            boolean current = Files.isRegularFile(dir.resolve("node_modules/.package-lock.json"))
                    && Arrays.equals(resource(name, "package-lock.json"), Files.exists(lock) ? Files.readAllBytes(lock) : new byte[0]);
            for (String f : files) Files.write(dir.resolve(f), resource(name, f));
            if (!current) {
                Files.deleteIfExists(dir.resolve("node_modules/.package-lock.json"));
                String out = command(dir, List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 10);
                if (!Files.isRegularFile(dir.resolve(installed))) throw new IllegalStateException("npm ci did not install " + installed + ":\n" + out);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code command} in {@code dir}, its environment adjusted by {@code environment}, for at most {@code seconds}. */
    public static Output run(Path dir, List<String> command, Consumer<Map<String, String>> environment, int seconds) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        environment.accept(pb.environment());
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s:\n" + out);
            }
            return new Output(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void requireNode(String name, int minMajor) {
        String version;
        try {
            version = command(Path.of("."), List.of("node", "--version"), 1).trim();
            command(Path.of("."), List.of("npm", "--version"), 1);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(name + " needs Node.js " + minMajor + "+ and npm on PATH: " + e.getMessage(), e);
        }
        int major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
        if (major < minMajor) throw new IllegalStateException(name + " needs Node.js " + minMajor + "+, found " + version);
    }

    private static byte[] resource(String name, String file) throws IOException {
        try (InputStream in = NodeProject.class.getResourceAsStream("/" + name + "/" + file)) {
            if (in == null) throw new IllegalStateException("missing test resource /" + name + "/" + file);
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
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
