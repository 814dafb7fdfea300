package dev.jeton.deploy;

import dev.jeton.support.JetonImage;
import dev.jeton.support.Packages;
import dev.jeton.support.Podman;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/systemd, checked by systemd's own tools: {@code systemd-analyze verify} (directives,
 * values, and that every command exists and is executable) and {@code systemd-analyze security}
 * (how exposed the service is). The units expect the image's /opt/jeton tree; here that tree is
 * the built image itself, mounted read-only, so the commands they name are the shipped ones.
 */
class SystemdUnitsTest {
    private static final List<String> UNITS = List.of("jeton.service", "jeton-agent.service");
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)");

    @TempDir
    static Path dir;
    static String image;
    static Path imageRoot;

    @BeforeAll
    static void mountImage() throws Exception {
        Packages.require("/usr/bin/systemd-analyze", "systemd", "/usr/bin/curl", "curl", "/sbin/ip", "iproute2");
        image = JetonImage.load();
        imageRoot = Path.of(Podman.run("image", "mount", image).orFail("podman image mount").output().trim());
    }

    @AfterAll
    static void unmount() throws Exception {
        if (image != null) Podman.run("image", "unmount", image);
    }

    @Test
    void unitsPassSystemdAnalyzeVerifyWithTheImagesFiles() throws Exception {
        List<String> installed = new ArrayList<>();
        for (String unit : UNITS) installed.add(installed(unit, Files.readString(Path.of("deploy/systemd", unit))).toString());
        Result verify = systemdAnalyze("verify", installed);
        assertThat(verify.code()).as(verify.output()).isZero();
        assertThat(verify.output()).as("no warnings").isBlank();
    }

    @Test
    void verifyReportsAMisspeltDirective() throws Exception {
        String unit = Files.readString(Path.of("deploy/systemd/jeton.service")).replace("ProtectSystem=strict", "ProtectSytem=strict");
        Result verify = systemdAnalyze("verify", List.of(installed("jeton.service", unit).toString()));
        assertThat(verify.output()).contains("ProtectSytem");
    }

    @Test
    void unitsAreHardened() throws Exception {
        for (String unit : UNITS) {
            String text = Files.readString(Path.of("deploy/systemd", unit));
            assertThat(text).contains("DynamicUser=yes", "ProtectSystem=strict", "NoNewPrivileges=yes", "StateDirectory=jeton",
                    "ExecStartPost=", "LoadCredential=");
            Result security = systemdAnalyze("security", List.of("--offline=true", installed(unit, text).toString()));
            Matcher m = EXPOSURE.matcher(security.output());
            assertThat(m.find()).as(security.output()).isTrue();
            // systemd's scale: 0 (locked down) to 10 (fully exposed); below 2 it says "OK".
            assertThat(Double.parseDouble(m.group(1))).as(unit + "\n" + security.output()).isLessThan(2.0);
        }
    }

    /** The unit as installed: /opt/jeton is the image's own tree. */
    private static Path installed(String name, String text) throws Exception {
        Path unitDir = Files.createDirectories(dir.resolve("units-" + System.nanoTime()));
        Path file = unitDir.resolve(name);
        Files.writeString(file, text.replace("/opt/jeton/", imageRoot + "/opt/jeton/"));
        return file;
    }

    private record Result(int code, String output) {
    }

    private static Result systemdAnalyze(String verb, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/systemd-analyze", verb));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("systemd-analyze timed out");
        }
        return new Result(p.exitValue(), out);
    }
}
