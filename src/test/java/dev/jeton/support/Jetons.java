package dev.jeton.support;

import dev.jeton.Wiring;
import dev.jeton.config.ConfigLoader;
import dev.jeton.config.JetonConfig;
import dev.jeton.config.Setting;
import dev.jeton.engine.FirstRun.Credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/** Builds real Jeton instances on a temp data directory, with cheap Argon2 so tests stay fast. */
public final class Jetons {
    private Jetons() {
    }

    /**
     * With {@code -Djeton.test.store=postgres} every data dir gets a fresh PostgreSQL database,
     * named in its jeton.conf so that CLI commands on the same dir use it too.
     */
    public static JetonConfig config(Path dataDir, Map<Setting, String> overrides) {
        if (TestPostgres.selected()) usePostgres(dataDir);
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.DATA_DIR, dataDir.toString());
        flags.put(Setting.PORT, "0");
        flags.put(Setting.ARGON2_MEMORY_KIB, "1024");
        flags.put(Setting.ARGON2_ITERATIONS, "1");
        flags.put(Setting.ACCESS_LOG, "false");
        flags.put(Setting.IMDS_PORT, "0");
        flags.put(Setting.NODE, "test-node");
        flags.putAll(overrides);
        return ConfigLoader.load(null, Map.of(), flags);
    }

    private static void usePostgres(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path conf = dataDir.resolve("jeton.conf");
            String existing = Files.exists(conf) ? Files.readString(conf) : "";
            if (!existing.contains("store =")) Files.writeString(conf, existing + "\nstore = " + TestPostgres.newDatabase() + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A running server plus the first-run credentials (null when the data dir was already seeded). */
    public static Running start(Path dataDir, Clock clock, Map<Setting, String> overrides) {
        Wiring wiring = new Wiring(config(dataDir, overrides), clock);
        Credentials credentials = wiring.admin().firstRun().seedIfEmpty().orElse(null);
        wiring.serve();
        return new Running(wiring, credentials);
    }

    public static Running start(Path dataDir) { return start(dataDir, Clock.systemUTC(), Map.of()); }

    public record Running(Wiring wiring, Credentials credentials) implements AutoCloseable {
        /** Where this instance listens; equal to its issuer unless one is configured. */
        public String baseUrl() { return wiring.baseUrl(); }

        public String imdsUrl() { return wiring.imdsUrl(); }

        public String demoSecret() { return credentials.demoClientSecret().value(); }

        public String adminPassword() { return credentials.adminPassword().value(); }

        @Override
        public void close() { wiring.close(); }
    }
}
