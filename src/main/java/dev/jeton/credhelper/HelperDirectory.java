package dev.jeton.credhelper;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the helper keeps its configuration and tokens: {@code $JETON_CONFIG_DIR}, else
 * {@code $XDG_CONFIG_HOME/jeton}, else {@code $HOME/.config/jeton}. {@code $HOME} is read from
 * the environment (as Docker passes it), not from the JVM's {@code user.home}.
 */
public final class HelperDirectory {
    private HelperDirectory() {
    }

    public static Path of(Map<String, String> env) {
        String explicit = env.get("JETON_CONFIG_DIR");
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "jeton");
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".config", "jeton");
    }
}
