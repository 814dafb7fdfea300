package dev.jeton.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 500ms}, {@code 10s}, {@code 15m}, {@code 2h}, {@code 30d}, or ISO-8601. */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text.trim();
        if (t.startsWith("P") || t.startsWith("p")) return Duration.parse(t);
        Matcher m = SHORT.matcher(t);
        if (!m.matches()) throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 30s, 15m, 2h, 30d)");
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    public static String format(Duration d) {
        long s = d.toSeconds();
        if (d.toMillis() % 1000 != 0) return d.toMillis() + "ms";
        if (s != 0 && s % 86400 == 0) return s / 86400 + "d";
        if (s != 0 && s % 3600 == 0) return s / 3600 + "h";
        if (s != 0 && s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }
}
