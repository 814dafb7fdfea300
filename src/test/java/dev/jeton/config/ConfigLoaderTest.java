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
    void limitsWhenNothingGivenThenRatesOffAndLoginThrottleOn() {
        LimitSettings l = ConfigLoader.load(null, Map.of("JETON_DATA_DIR", dir.toString()), Map.of()).limits();
        assertThat(l.perClient()).isNull();
        assertThat(l.perSource()).isNull();
        assertThat(l.trustedProxies()).isEmpty();
        assertThat(l.maxHeaderBytes()).isEqualTo(16384);
        assertThat(l.loginFailuresPerUser()).isEqualTo(5);
        assertThat(l.loginFailuresPerAddress()).isEqualTo(50);
        assertThat(l.loginFailureWindow()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void limitsWhenGivenThenParsedAndBadOnesRefusedClearly() throws Exception {
        Files.writeString(dir.resolve("jeton.conf"), "rate-limit-client = 20/s\nrate-limit-source = 600/m\n"
                + "trusted-proxies = 10.0.0.0/8, ::1\n");
        LimitSettings l = ConfigLoader.load(null, Map.of("JETON_DATA_DIR", dir.toString()), Map.of()).limits();
        assertThat(l.perClient()).isEqualTo(new Rate(20, Duration.ofSeconds(1)));
        assertThat(l.perSource()).isEqualTo(new Rate(600, Duration.ofMinutes(1)));
        assertThat(l.trustedProxies()).containsExactly("10.0.0.0/8", "::1");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("JETON_DATA_DIR", dir.toString(), "JETON_RATE_LIMIT_CLIENT", "20 per second"),
                Map.of())).hasMessageContaining("rate-limit-client must be N/s, N/m, N/h or off");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("JETON_DATA_DIR", dir.toString(), "JETON_MAX_HEADER_BYTES", "10"),
                Map.of())).hasMessageContaining("max-header-bytes");
    }

    @Test
    void registryIdentityTokensWhenFileAndEnvSetThemThenReadAndCheckedAtLoad() throws Exception {
        IdentityTokenSettings defaults = ConfigLoader.load(null, Map.of("JETON_DATA_DIR", dir.toString()), Map.of()).registryIdentityTokens();
        assertThat(defaults).isEqualTo(new IdentityTokenSettings(Duration.ofDays(30), Duration.ofDays(90)));
        Files.writeString(dir.resolve("jeton.conf"), "registry-identity-token-idle-ttl = 7d\nregistry-identity-token-max-ttl = 30d\n");
        IdentityTokenSettings fromFile = ConfigLoader.load(null, Map.of("JETON_DATA_DIR", dir.toString(),
                "JETON_REGISTRY_IDENTITY_TOKEN_MAX_TTL", "60d"), Map.of()).registryIdentityTokens();
        assertThat(fromFile).isEqualTo(new IdentityTokenSettings(Duration.ofDays(7), Duration.ofDays(60)));
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("JETON_DATA_DIR", dir.toString(), "JETON_REGISTRY_IDENTITY_TOKEN_MAX_TTL", "1d"),
                Map.of())).hasMessageContaining("registry-identity-token-max-ttl (1d) must not be shorter than registry-identity-token-idle-ttl (7d)");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("JETON_DATA_DIR", dir.toString(), "JETON_REGISTRY_IDENTITY_TOKEN_IDLE_TTL", "10s"),
                Map.of())).hasMessageContaining("registry-identity-token-idle-ttl must be at least 1m");
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
