package dev.jeton.tls;

import dev.jeton.Jeton;
import dev.jeton.config.Setting;
import dev.jeton.support.Jetons;
import dev.jeton.support.Packages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jeton serve --dev-tls} as a developer runs it, in its own process: it prints where its
 * certificate is, curl trusts exactly that file, and a restart serves the same certificate.
 */
class DevTlsTest {
    @TempDir
    Path dir;

    /** A {@code jeton serve} process and what it printed up to "jeton listening on". */
    private record Serving(Process process, List<String> lines) implements AutoCloseable {
        String line(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line starting '" + prefix + "' in:\n" + String.join("\n", lines)));
        }

        String url() { return line("jeton listening on ").substring("jeton listening on ".length()); }

        @Override
        public void close() throws Exception {
            process.destroy(); // SIGTERM: the shutdown hook stops the server
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }

    private Serving serve(String... extra) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, Jeton.class.getName(),
                "serve", "--dev-tls", "--data-dir", dir.resolve("data").toString(), "--port", "0", "--imds-port", "-1"));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("JETON_"));
        pb.environment().put("JETON_ARGON2_MEMORY_KIB", "1024");
        pb.environment().put("JETON_ARGON2_ITERATIONS", "1");
        Process p = pb.start();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!p.waitFor(90, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        });
        List<String> lines = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
            if (line.startsWith("jeton listening on ")) {
                watchdog.interrupt();
                // Keep draining stdout so the server never blocks on a full pipe.
                Thread.ofVirtual().start(() -> out.lines().forEach(ignored -> { }));
                return new Serving(p, lines);
            }
        }
        throw new AssertionError("jeton serve --dev-tls exited with " + p.waitFor() + ":\n" + String.join("\n", lines));
    }

    private static Curl curl(String... args) throws Exception {
        Packages.require("/usr/bin/curl", "curl");
        List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Curl(p.exitValue(), output);
    }

    private record Curl(int code, String output) {
    }

    @Test
    void devTlsWhenServedThenCurlTrustingThePrintedCertificateGetsInAndARestartKeepsIt() throws Exception {
        Path trusted = dir.resolve("trusted-by-the-developer.pem");
        String firstUrl;
        try (Serving first = serve()) {
            firstUrl = first.url();
            assertThat(firstUrl).startsWith("https://127.0.0.1:");
            Path certificate = dir.resolve("data").resolve(DevCertificate.CERT_FILE).toAbsolutePath();
            assertThat(first.line("jeton dev TLS certificate: ")).isEqualTo("jeton dev TLS certificate: " + certificate
                    + " (trust it: curl --cacert " + certificate + " " + firstUrl + "/health/ready)");
            Files.copy(certificate, trusted);

            Curl ready = curl("--cacert", trusted.toString(), firstUrl + "/health/ready");
            assertThat(ready.output()).isEqualTo("{\"status\":\"UP\"}");
            Curl byName = curl("--cacert", trusted.toString(), firstUrl.replace("127.0.0.1", "localhost") + "/.well-known/openid-configuration");
            assertThat(byName.code()).as(byName.output()).isZero();
            assertThat(byName.output()).contains("\"issuer\":\"" + firstUrl + "\"");
            Curl untrusted = curl(firstUrl + "/health/ready");
            assertThat(untrusted.code()).as(untrusted.output()).isEqualTo(60); // curl: peer certificate cannot be authenticated
        }
        try (Serving second = serve()) {
            assertThat(Files.readString(dir.resolve("data").resolve(DevCertificate.CERT_FILE))).isEqualTo(Files.readString(trusted));
            Curl ready = curl("--cacert", trusted.toString(), second.url() + "/health/ready");
            assertThat(ready.output()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void devTlsWhenIssuerNamesAnotherHostThenTheCertificateNamesItTooAndIsRemadeOnlyThen() throws Exception {
        Path data = dir.resolve("issuer");
        Path cert = data.resolve(DevCertificate.CERT_FILE);
        try (var ignored = Jetons.start(data, Clock.systemUTC(), Map.of(Setting.DEV_TLS, "true"))) {
            assertThat(names(cert)).contains("localhost", "127.0.0.1").doesNotContain("jeton.test");
        }
        String before = Files.readString(cert);
        try (var ignored = Jetons.start(data, Clock.systemUTC(), Map.of(Setting.DEV_TLS, "true"))) {
            assertThat(Files.readString(cert)).isEqualTo(before);
        }
        try (var ignored = Jetons.start(data, Clock.systemUTC(), Map.of(Setting.DEV_TLS, "true",
                Setting.ISSUER, "https://jeton.test:8443"))) {
            assertThat(names(cert)).contains("localhost", "127.0.0.1", "jeton.test");
        }
        assertThat(Files.getPosixFilePermissions(data.resolve(DevCertificate.KEY_FILE)))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    private static List<String> names(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return c.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
        }
    }
}
