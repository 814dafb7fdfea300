package dev.jeton.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void loadWhenNothingGivenThenDefaultsNeedNoFile() {
        JetonConfig c = ConfigLoader.load(null, Map.of("JETON_DATA_DIR", dir.toString()), Map.of());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.accessTokenTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.issuerFor(8080)).isEqualTo("http://127.0.0.1:8080");
        assertThat(c.masterKeyFile()).isEqualTo(dir.resolve("master.key"));
    }

    @Test
    void loadWhenFileEnvAndFlagThenFlagBeatsEnvBeatsFile() throws Exception {
        Files.writeString(dir.resolve("jeton.conf"), "# comment\nport = 9000\nhost = 0.0.0.0\naccess-token-ttl = 5m\n");
        JetonConfig c = ConfigLoader.load(null, Map.of("JETON_DATA_DIR", dir.toString(), "JETON_PORT", "9100"),
                Map.of(Setting.HOST, "127.0.0.2"));
        assertThat(c.port()).isEqualTo(9100);
        assertThat(c.host()).isEqualTo("127.0.0.2");
        assertThat(c.accessTokenTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.sources().get(Setting.PORT).source()).isEqualTo("env JETON_PORT");
        assertThat(c.sources().get(Setting.ACCESS_TOKEN_TTL).source()).startsWith("file ");
    }

    @Test
    void loadWhenUnknownKeyOrBadValueThenClearError() throws Exception {
        Files.writeString(dir.resolve("jeton.conf"), "prot = 9000\n");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("JETON_DATA_DIR", dir.toString()), Map.of()))
                .hasMessageContaining("unknown setting 'prot'");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(Setting.DATA_DIR, dir.resolve("x").toString(),
                Setting.ACCESS_TOKEN_TTL, "soon"))).hasMessageContaining("access-token-ttl");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.conf"), Map.of(), Map.of()))
                .hasMessageContaining("config file not found");
    }

    @Test
    void durationsWhenShortFormsThenParsed() {
        assertThat(Durations.parse("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.format(Duration.ofMinutes(15))).isEqualTo("15m");
    }
}
