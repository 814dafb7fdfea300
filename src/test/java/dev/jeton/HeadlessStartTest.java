package dev.jeton;

import dev.jeton.support.Http;
import dev.jeton.support.JetonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server whose output is collected (a container, a systemd journal): the first start prints no
 * secret, makes no demo client, takes the admin's password from a file, and never makes a
 * master key of its own. The laptop start that prints secrets is covered by the tests of
 * {@code jeton serve} that read them from its output.
 */
class HeadlessStartTest {
    private static final String PASSWORD = "headless admin password 41c9";

    @TempDir
    Path dir;

    @Test
    void firstStartMakesTheAdminFromTheFileAndPrintsNoSecret() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path key = dir.resolve("master.key");
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        Files.writeString(key, Base64.getEncoder().encodeToString(raw) + "\n");
        Files.writeString(dir.resolve("admin-password"), PASSWORD + "\n");
        Files.writeString(data.resolve("jeton.conf"), """
                port = 0
                imds-port = -1
                headless = true
                master-key-file = %s
                first-admin-password-file = %s
                """.formatted(key, dir.resolve("admin-password")));
        try (JetonProcess jeton = JetonProcess.serve(data)) {
            assertThat(jeton.output()).contains("First start: created user admin with the password in " + dir.resolve("admin-password"))
                    .doesNotContain(PASSWORD).doesNotContain("client_secret").doesNotContain("demo");
            // The password is the file's, without its trailing newline: the registry endpoint takes it.
            HttpResponse<String> token = Http.get(jeton.baseUrl() + "/oauth2/token?service=registry", Http.basic("admin", PASSWORD));
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            assertThat(Http.get(jeton.baseUrl() + "/oauth2/token?service=registry", Http.basic("admin", PASSWORD + "\n")).statusCode())
                    .isEqualTo(401);
        }
        assertThat(data.resolve("master.key")).as("the given key is used, none is made").doesNotExist();
        // A second start: the store has its admin; the file is not needed any more.
        Files.delete(dir.resolve("admin-password"));
        try (JetonProcess again = JetonProcess.serve(data)) {
            assertThat(again.output()).doesNotContain("First start");
        }
    }

    @Test
    void withoutAMasterKeyItRefusesToStartAndMakesNothing() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("admin-password"), PASSWORD);
        Files.writeString(data.resolve("jeton.conf"), """
                port = 0
                imds-port = -1
                headless = true
                first-admin-password-file = %s
                """.formatted(dir.resolve("admin-password")));
        assertThatThrownBy(() -> JetonProcess.serve(data).close())
                .hasMessageContaining("jeton: no master key: " + data.resolve("master.key"))
                .hasMessageContaining("JETON_MASTER_KEY_FILE")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Exception").doesNotContain("First start"));
        assertThat(data.resolve("master.key")).doesNotExist();
    }
}
