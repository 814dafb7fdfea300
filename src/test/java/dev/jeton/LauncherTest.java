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
    void launcherWhenThePasswordCostChangesThenTheHeapHoldsOneWorkAreaPerCoreBesideTheRest() throws Exception {
        // The cores it counts (nproc, or a container's CPU quota when smaller) read back from the default: 58 + cores x 19 MiB.
        int defaultHeap = heapMib(Map.of());
        assertThat((defaultHeap - 58) % 19).as("default heap %d MiB", defaultHeap).isZero();
        int cores = (defaultHeap - 58) / 19;
        Process nproc = new ProcessBuilder("nproc").start();
        assertThat(cores).isBetween(1, Integer.parseInt(new String(nproc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim()));
        assertThat(heapMib(Map.of("JETON_ARGON2_MEMORY_KIB", "7168"))).isEqualTo(58 + cores * 7);
        assertThat(heapMib(Map.of("JETON_ARGON2_MEMORY_KIB", "65536"))).isEqualTo(58 + cores * 64);
        // Not a number: the default cost (the server itself refuses a bad number with its own message).
        assertThat(heapMib(Map.of("JETON_ARGON2_MEMORY_KIB", "19m"))).isEqualTo(defaultHeap);
    }

    @Test
    void launcherWhenTheCostIsSetInTheConfigFileThenTheHeapFollowsItAsTheServerWouldReadIt(@TempDir Path dir) throws Exception {
        int cores = (heapMib(Map.of()) - 58) / 19;
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        Files.writeString(dataDir.resolve("jeton.conf"), "port = 8080\n# argon2-memory-kib = 1024\nargon2-memory-kib = 65536\n");
        Path other = Files.writeString(dir.resolve("other.conf"), "argon2-memory-kib:7168\n");
        // DATA_DIR/jeton.conf, the data dir given either way.
        assertThat(heapMib(Map.of(), "serve", "--data-dir", dataDir.toString())).isEqualTo(58 + cores * 64);
        assertThat(heapMib(Map.of(), "serve", "--data-dir=" + dataDir)).isEqualTo(58 + cores * 64);
        assertThat(heapMib(Map.of("JETON_DATA_DIR", dataDir.toString()), "serve")).isEqualTo(58 + cores * 64);
        // An explicit file instead of the data dir's, by flag or environment.
        assertThat(heapMib(Map.of(), "serve", "--config", other.toString(), "--data-dir", dataDir.toString())).isEqualTo(58 + cores * 7);
        assertThat(heapMib(Map.of("JETON_CONFIG", other.toString()), "serve", "--data-dir", dataDir.toString())).isEqualTo(58 + cores * 7);
        // The environment wins over the file, as in ConfigLoader.
        assertThat(heapMib(Map.of("JETON_ARGON2_MEMORY_KIB", "7168"), "serve", "--data-dir", dataDir.toString())).isEqualTo(58 + cores * 7);
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
