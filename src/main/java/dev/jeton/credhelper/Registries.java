package dev.jeton.credhelper;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Which Jeton signs in which registry: {@code credential-helper.properties} in the helper's
 * directory, written by {@code jeton credential-helper install}. {@code server} and
 * {@code client-id} are the default for every registry the helper is asked about;
 * {@code registry.HOST.server} and {@code registry.HOST.client-id} name another Jeton (or
 * client) for one registry.
 */
public final class Registries {
    public static final String FILE = "credential-helper.properties";

    private final Properties values;

    private Registries(Properties values) { this.values = values; }

    /** Where a registry's sign-in goes: Jeton's base URL and the public client the helper is registered as. */
    public record Target(URI server, String clientId) {
    }

    public static Registries load(Path dir) throws IOException {
        Properties p = new Properties();
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        return new Registries(p);
    }

    public Optional<Target> forRegistry(String host) {
        String server = values.getProperty("registry." + host + ".server", values.getProperty("server"));
        String client = values.getProperty("registry." + host + ".client-id", values.getProperty("client-id"));
        if (server == null || client == null) return Optional.empty();
        return Optional.of(new Target(URI.create(server.replaceAll("/+$", "")), client));
    }

    /** Sets the target of {@code host}, or the default when {@code host} is null. */
    public Registries with(String host, Target target) {
        Properties p = new Properties();
        p.putAll(values);
        String prefix = host == null ? "" : "registry." + host + ".";
        p.setProperty(prefix + "server", target.server().toString());
        p.setProperty(prefix + "client-id", target.clientId());
        return new Registries(p);
    }

    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Writer w = Files.newBufferedWriter(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            values.store(w, "docker-credential-jeton: which Jeton signs in which registry (jeton credential-helper install --help)");
        }
    }

    /**
     * The registry a server URL names, as the key of its settings and token: host and port,
     * lower case, without scheme or path ({@code https://Reg.example:5000/v2/} is
     * {@code reg.example:5000}).
     */
    public static String hostOf(String serverUrl) {
        String s = serverUrl.strip();
        int scheme = s.indexOf("://");
        if (scheme >= 0) s = s.substring(scheme + 3);
        int slash = s.indexOf('/');
        if (slash >= 0) s = s.substring(0, slash);
        return s.toLowerCase(Locale.ROOT);
    }
}
