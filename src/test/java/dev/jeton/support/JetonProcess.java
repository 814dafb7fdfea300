package dev.jeton.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jeton serve} as a separate OS process: the JDK that runs the tests, the test class
 * path, the same main class as the launcher's jar. Unlike {@link Jetons}, it can be killed
 * the way a crash kills a server, with nothing of it left to run.
 */
public final class JetonProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("jeton listening on (http://\\S+)");
    private static final Pattern FIRST_RUN = Pattern.compile("^\\s+(admin password|demo client_secret):\\s+(\\S+)$");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<String> baseUrl = new CompletableFuture<>();
    private final List<String> firstRunSecrets = new ArrayList<>();

    private JetonProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon(true).name("jeton-process-output").start(this::readOutput);
    }

    /** Starts {@code jeton serve} on {@code dataDir} and returns once it accepts requests. */
    public static JetonProcess serve(Path dataDir) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "-cp", classpath, "dev.jeton.Jeton", "serve", "--data-dir", dataDir.toString())
                .redirectErrorStream(true);
        // Only the data dir's jeton.conf configures it, whatever the environment of the build says.
        pb.environment().keySet().removeIf(k -> k.startsWith("JETON_"));
        JetonProcess started = new JetonProcess(pb.start());
        try {
            started.baseUrl.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            started.process.destroyForcibly();
            throw new IllegalStateException("jeton serve did not start:\n" + started.output, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.process.destroyForcibly();
            throw new IllegalStateException(e);
        }
        return started;
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                Matcher first = FIRST_RUN.matcher(line);
                if (first.matches()) firstRunSecrets.add(first.group(2));
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) baseUrl.complete(listening.group(1));
            }
        } catch (IOException e) {
            // The JDK closes the pipe when it reaps a killed process: the output simply ends.
            output.append("(output ended: ").append(e.getMessage()).append(")\n");
        }
        baseUrl.completeExceptionally(new IllegalStateException("jeton serve exited"));
    }

    public String baseUrl() { return baseUrl.join(); }

    public long pid() { return process.pid(); }

    /** The admin password printed on first start; fails when this start was not the first. */
    public String adminPassword() { return firstRunSecrets.get(0); }

    /** The demo client's secret printed on first start. */
    public String demoSecret() { return firstRunSecrets.get(1); }

    /** What the process printed so far (stdout and stderr), for failure messages. */
    public String output() { return output.toString(); }

    /**
     * Kills the process with SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown
     * hook, no close of the database, nothing flushed. Returns its exit value once it is gone,
     * which the JDK reports as 128 + the signal's number.
     */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("process " + pid() + " survived SIGKILL");
        return process.exitValue();
    }

    /** A clean stop (SIGTERM), as an operator would do at the end. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
    }
}
