package dev.jeton.credhelper;

import java.io.File;
import java.io.IOException;
import java.util.Map;

/**
 * Opens the verification page where a browser is available: the command in {@code $BROWSER}
 * (the first of a colon-separated list, as xdg-utils reads it), else {@code xdg-open} when a
 * display is set. Failing to open one is not an error: the terminal shows the URL anyway.
 */
public final class BrowserOpener {
    private final Map<String, String> env;

    public BrowserOpener(Map<String, String> env) { this.env = env; }

    public void open(String url) {
        String command = command();
        if (command == null) return;
        try {
            // Its output would mix with ours; the URL was already printed.
            new ProcessBuilder(command, url).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException ignored) {
            // No browser after all: the user follows the printed URL.
        }
    }

    private String command() {
        String browser = env.get("BROWSER");
        if (browser != null && !browser.isBlank()) return browser.split(":")[0];
        boolean display = nonBlank(env.get("DISPLAY")) || nonBlank(env.get("WAYLAND_DISPLAY"));
        if (!display) return null;
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            File xdg = new File(dir, "xdg-open");
            if (!dir.isEmpty() && xdg.canExecute()) return xdg.getPath();
        }
        return null;
    }

    private static boolean nonBlank(String s) { return s != null && !s.isBlank(); }
}
