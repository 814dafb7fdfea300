package dev.jeton.cli;

import dev.jeton.config.ConfigLoader;
import dev.jeton.config.JetonConfig;
import dev.jeton.config.Setting;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** Options every command takes: where the data lives and which config file to read. */
public final class ConfigOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory: database, master key, jeton.conf (env JETON_DATA_DIR, default ./jeton-data).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file of 'key = value' lines (env JETON_CONFIG, default DATA_DIR/jeton.conf when present).")
    Path configFile;

    @Option(names = "--store", paramLabel = "URL",
            description = "Where data lives: sqlite:PATH or postgresql://user@host:port/db (env JETON_STORE; default the SQLite file in the data dir).")
    String store;

    JetonConfig load(Map<Setting, String> extraFlags) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        if (dataDir != null) flags.put(Setting.DATA_DIR, dataDir.toString());
        if (store != null) flags.put(Setting.STORE, store);
        flags.putAll(extraFlags);
        return ConfigLoader.load(configFile, System.getenv(), flags);
    }

    JetonConfig load() { return load(Map.of()); }
}
