package dev.jeton.credhelper;

import dev.jeton.support.InProcessCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jeton credential-helper install}: the script it writes, the settings it records, and its refusals. */
class CredentialHelperInstallTest {
    @TempDir
    Path dir;

    @Test
    void installWhenNoLauncherGivenThenTheScriptRunsThisCheckoutsLauncher() throws Exception {
        Path bin = dir.resolve("bin");
        Path config = dir.resolve("config");
        InProcessCli.Result r = InProcessCli.run(null, "credential-helper", "install", "--dir", bin.toString(), "--server",
                "https://jeton.example:8443/", "--config-dir", config.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Path script = bin.resolve("docker-credential-jeton");
        // Tests run from target/classes; the jar is target/jeton.jar: either way the checkout's ./jeton.
        Path launcher = Path.of("jeton").toAbsolutePath();
        assertThat(Files.readString(script)).startsWith("#!/bin/sh\n").endsWith("exec '" + launcher + "' credential-helper \"$@\"\n");
        assertThat(Files.getPosixFilePermissions(script)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        Properties settings = new Properties();
        try (var in = Files.newBufferedReader(config.resolve(Registries.FILE))) {
            settings.load(in);
        }
        assertThat(settings.getProperty("server")).isEqualTo("https://jeton.example:8443");
        assertThat(settings.getProperty("client-id")).isEqualTo("docker-credential-jeton");
        assertThat(Registries.load(config).forRegistry("any.example:5000")).isPresent();
    }

    @Test
    void installWhenRegistriesNamedThenOnlyThoseSignInAndAQuoteInTheLauncherPathStaysQuoted() throws Exception {
        Path config = dir.resolve("config");
        Path odd = dir.resolve("it's here");
        InProcessCli.Result r = InProcessCli.run(null, "credential-helper", "install", "--dir", dir.resolve("bin").toString(), "--server",
                "http://127.0.0.1:8080", "--registry", "https://Reg.example:5000/v2/", "--client-id", "helper", "--config-dir", config.toString(),
                "--launcher", odd.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("{\"credHelpers\": {\"reg.example:5000\": \"jeton\"}}");
        assertThat(Files.readString(dir.resolve("bin/docker-credential-jeton"))).contains("exec '" + odd.toString().replace("'", "'\\''") + "'");
        Registries registries = Registries.load(config);
        assertThat(registries.forRegistry("reg.example:5000")).hasValueSatisfying(t -> assertThat(t.clientId()).isEqualTo("helper"));
        assertThat(registries.forRegistry("other.example")).isEmpty();
    }

    @Test
    void installWhenServerIsNotAnHttpUrlThenRefusedWithWhatToGive() {
        InProcessCli.Result r = InProcessCli.run(null, "credential-helper", "install", "--dir", dir.toString(), "--server", "jeton.example",
                "--config-dir", dir.resolve("config").toString(), "--launcher", "/bin/true");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("--server must be Jeton's http:// or https:// URL");
        assertThat(dir.resolve("docker-credential-jeton")).doesNotExist();
    }

    @Test
    void helpWhenAskedThenNamesTheProtocolAndTheReadme() {
        InProcessCli.Result r = InProcessCli.run(null, "credential-helper", "--help");
        assertThat(r.out()).contains("get|store|erase|list|version").contains("README: 'Sign in from the command");
        assertThat(InProcessCli.run(null, "credential-helper", "install", "--help").out()).contains("--registry=HOST[:PORT]");
    }
}
