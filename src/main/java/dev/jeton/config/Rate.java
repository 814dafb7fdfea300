package dev.jeton.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A rate limit as written in the config: {@code 20/s}, {@code 600/m}, {@code 100/h}, or {@code off} (null). */
public record Rate(int count, Duration period) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*/\\s*(s|m|h)");

    public static Rate parse(String key, String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("off") || t.equals("0")) return null;
        Matcher m = FORM.matcher(t);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
            throw new IllegalArgumentException(key + " must be N/s, N/m, N/h or off, not '" + text + "'");
        }
        Duration period = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        return new Rate(Integer.parseInt(m.group(1)), period);
    }
}
