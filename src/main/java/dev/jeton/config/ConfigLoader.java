package dev.jeton.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the effective configuration once, at the edge: defaults, then the config file
 * ({@code key = value} lines, {@code #} comments), then {@code JETON_*} environment variables,
 * then flags. Remembers where each value came from for {@code jeton config}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * @param configFile explicit {@code --config} or {@code JETON_CONFIG}; null means
     *                   {@code DATA_DIR/jeton.conf} when that file exists
     */
    public static JetonConfig load(Path configFile, Map<String, String> env, Map<Setting, String> flags) {
        Map<Setting, Sourced> values = new EnumMap<>(Setting.class);
        Map<String, String> federation = new java.util.TreeMap<>();
        for (Setting s : Setting.values()) values.put(s, new Sourced(s.defaultValue(), "default"));

        // The data dir decides where the default config file is, so it is resolved first.
        String dataDir = pick(Setting.DATA_DIR, env, flags, Setting.DATA_DIR.defaultValue());
        Path file = configFile != null ? configFile
                : env.get("JETON_CONFIG") != null ? Path.of(env.get("JETON_CONFIG"))
                : Path.of(dataDir).resolve("jeton.conf");
        boolean explicit = configFile != null || env.get("JETON_CONFIG") != null;
        if (Files.exists(file)) {
            readFile(file, federation).forEach((k, v) -> values.put(k, new Sourced(v, "file " + file)));
        } else if (explicit) {
            throw new IllegalArgumentException("config file not found: " + file);
        }
        for (Setting s : Setting.values()) {
            String fromEnv = env.get(s.env());
            if (fromEnv != null && !fromEnv.isEmpty()) values.put(s, new Sourced(fromEnv, "env " + s.env()));
            String fromFlag = flags.get(s);
            if (fromFlag != null) values.put(s, new Sourced(fromFlag, "flag"));
        }
        String masterKey = env.get("JETON_MASTER_KEY");
        return JetonConfig.from(values, masterKey == null || masterKey.isBlank() ? null : masterKey, env.get("JETON_STORE_PASSWORD"),
                FederationConfig.parse(federation));
    }

    private static String pick(Setting s, Map<String, String> env, Map<Setting, String> flags, String fallback) {
        if (flags.get(s) != null) return flags.get(s);
        String e = env.get(s.env());
        return e != null && !e.isEmpty() ? e : fallback;
    }

    private static Map<Setting, String> readFile(Path file, Map<String, String> federation) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file, e);
        }
        Map<Setting, String> out = new EnumMap<>(Setting.class);
        for (String key : p.stringPropertyNames()) {
            if (key.trim().startsWith(FederationConfig.PREFIX)) {
                federation.put(key.trim(), p.getProperty(key).trim());
                continue;
            }
            Setting s = Setting.byKey(key.trim());
            if (s == null) throw new IllegalArgumentException("unknown setting '" + key + "' in " + file + " (see: jeton config)");
            out.put(s, p.getProperty(key).trim());
        }
        return out;
    }

    /** A value and where it came from. */
    public record Sourced(String value, String source) {
    }
}
