package dev.jeton;

import org.junit.jupiter.api.Test;

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
        // The launcher counts cores as nproc does (what the shell sees, before the JVM's cgroup view).
        Process nproc = new ProcessBuilder("nproc").start();
        int cores = Integer.parseInt(new String(nproc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        assertThat(heapOption(Map.of("JETON_ARGON2_MEMORY_KIB", "7168"))).isEqualTo("-Xmx" + (58 + cores * 7) + "m");
        assertThat(heapOption(Map.of("JETON_ARGON2_MEMORY_KIB", "65536"))).isEqualTo("-Xmx" + (58 + cores * 64) + "m");
        // Unset or not a number: the default cost of 19 MiB (the server itself refuses a bad number with its own message).
        assertThat(heapOption(Map.of())).isEqualTo("-Xmx" + (58 + cores * 19) + "m");
        assertThat(heapOption(Map.of("JETON_ARGON2_MEMORY_KIB", "19m"))).isEqualTo("-Xmx" + (58 + cores * 19) + "m");
    }

    private static String heapOption(Map<String, String> env) throws Exception {
        Map<String, String> withPrint = new java.util.HashMap<>(env);
        withPrint.put("JETON_PRINT_JAVA_OPTS", "1");
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString());
        pb.environment().remove("JETON_ARGON2_MEMORY_KIB");
        pb.environment().putAll(withPrint);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return java.util.Arrays.stream(out.trim().split(" ")).filter(o -> o.startsWith("-Xmx")).findFirst().orElse("none");
    }
}
