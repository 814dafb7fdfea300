package dev.jeton.config;

import dev.jeton.config.ConfigLoader.Sourced;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Where the audit log goes and how its file rotates, from the {@code audit-*} settings. */
public record AuditConfig(Sink sink, Path file, long maxBytes, int keep) {
    public enum Sink { FILE, STDOUT, OFF }

    static AuditConfig from(Map<Setting, Sourced> v, Path dataDir) {
        String sinkName = v.get(Setting.AUDIT_LOG).value().trim().toLowerCase(Locale.ROOT);
        Sink sink = switch (sinkName) {
            case "file" -> Sink.FILE;
            case "stdout" -> Sink.STDOUT;
            case "off" -> Sink.OFF;
            default -> throw new IllegalArgumentException("audit-log must be file, stdout or off, not '" + sinkName + "'");
        };
        String file = v.get(Setting.AUDIT_FILE).value();
        long maxBytes = size(v.get(Setting.AUDIT_MAX_SIZE).value());
        String keep = v.get(Setting.AUDIT_KEEP).value();
        int kept;
        try {
            kept = Integer.parseInt(keep.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("audit-keep must be a whole number, not '" + keep + "'");
        }
        if (kept < 0) throw new IllegalArgumentException("audit-keep must be 0 or more");
        return new AuditConfig(sink, file.isEmpty() ? dataDir.resolve("audit.log") : Path.of(file), maxBytes, kept);
    }

    /** {@code 1048576}, {@code 512k}, {@code 64m}, {@code 1g}. */
    static long size(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k")) unit = 1L << 10;
        if (t.endsWith("m")) unit = 1L << 20;
        if (t.endsWith("g")) unit = 1L << 30;
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 1) throw new NumberFormatException();
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("audit-max-size must be a size such as 1048576, 512k, 64m or 1g, not '" + text + "'");
        }
    }
}
