package dev.jeton;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The ./jeton launcher's JDK selection and JVM options, run as a user would run it. */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("jeton").toAbsolutePath();

    record Run(int code, String out, String err) {
    }

    private static Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = LAUNCHER.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static int majorOf(String jdkHome) throws IOException {
        String release = Files.readString(Path.of(jdkHome, "release"));
        String v = release.replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1");
        return Integer.parseInt(v);
    }

    @Test
    void launcherWhenJavaHomeIsOlderThan21ThenPicksAJdk21OrNewer() throws Exception {
        Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        Map<String, String> env = Files.isDirectory(jdk17)
                ? Map.of("JETON_PRINT_JDK", "1", "JAVA_HOME", jdk17.toString())
                : Map.of("JETON_PRINT_JDK", "1");
        Run run = launch(env);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(majorOf(run.out().trim())).isGreaterThanOrEqualTo(21);
    }

    @Test
    void launcherWhenNoJdk21AnywhereThenFailsWithAClearMessage() throws Exception {
        // java on PATH here is 17 (too old), and no JDK directory exists.
        Run run = launch(Map.of("JETON_JDK_DIRS", "/nonexistent/*"), "--version");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("jeton: needs a JDK 21 or newer");
    }

    @Test
    void launcherWhenThePasswordCostChangesThenTheHeapStaysTheSame(@TempDir Path dir) throws Exception {
        // Argon2id's work areas live outside the heap: the cost, from the environment or the config file, does not size it.
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        Files.writeString(dataDir.resolve("jeton.conf"), "argon2-memory-kib = 65536\n");
        assertThat(heapMib(Map.of())).isEqualTo(58);
        assertThat(heapMib(Map.of("JETON_ARGON2_MEMORY_KIB", "262144"))).isEqualTo(58);
        assertThat(heapMib(Map.of(), "serve", "--data-dir", dataDir.toString())).isEqualTo(58);
    }

    @Test
    void launcherWhenJava21ThenTheWorkAreasDirectBuffersAreNotCappedAtTheHeapSize(@TempDir Path dir) throws Exception {
        // The options are chosen from the JDK's release file alone: a directory holding one stands for a JDK 21. It cannot
        // build the jar, so a run on the real JDK comes first and builds it when it is stale.
        assertThat(heapMib(Map.of())).isEqualTo(58);
        Path jdk21 = Files.createDirectories(dir.resolve("jdk-21"));
        Files.writeString(jdk21.resolve("release"), "JAVA_VERSION=\"21.0.5\"\n");
        Run on21 = launch(Map.of("JAVA_HOME", jdk21.toString(), "JETON_PRINT_JAVA_OPTS", "1"));
        assertThat(on21.code()).as(on21.err()).isZero();
        assertThat(on21.out()).contains("-XX:MaxDirectMemorySize=4g").doesNotContain("TrimNativeHeapInterval");

        Path jdk25 = Files.createDirectories(dir.resolve("jdk-25"));
        Files.writeString(jdk25.resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
        Run on25 = launch(Map.of("JAVA_HOME", jdk25.toString(), "JETON_PRINT_JAVA_OPTS", "1"));
        assertThat(on25.code()).as(on25.err()).isZero();
        assertThat(on25.out()).doesNotContain("MaxDirectMemorySize").contains("-XX:TrimNativeHeapInterval=2000");
    }

    /** The -Xmx the launcher would run the server with, in MiB. */
    private static int heapMib(Map<String, String> env, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = LAUNCHER.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command);
        for (String name : new String[] {"JETON_ARGON2_MEMORY_KIB", "JETON_CONFIG", "JETON_DATA_DIR"}) pb.environment().remove(name);
        // Run from an empty directory, so that no ./jeton-data/jeton.conf of the checkout sets the cost.
        pb.directory(Files.createTempDirectory("launcher-cwd").toFile());
        pb.environment().putAll(env);
        pb.environment().put("JETON_PRINT_JAVA_OPTS", "1");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        String xmx = java.util.Arrays.stream(out.trim().split(" ")).filter(o -> o.matches("-Xmx\\d+m")).findFirst()
                .orElseThrow(() -> new AssertionError("no -Xmx in " + out));
        return Integer.parseInt(xmx.substring(4, xmx.length() - 1));
    }
}
