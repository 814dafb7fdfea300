package dev.jeton.admin;

import dev.jeton.config.Durations;
import dev.jeton.model.Failure;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Checks of request fields, each failing as a 422 that names the field. */
final class Fields {
    private Fields() {
    }

    static String required(String field, String value) {
        if (value == null || value.isBlank()) throw Failure.invalidRequest(field, "field '" + field + "' is required");
        return value;
    }

    /** A duration such as 30s, 15m, 1h or 7d; null stays null. */
    static Duration duration(String field, String text) {
        if (text == null) return null;
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw Failure.invalidRequest(field, "field '" + field + "' must be a duration such as 30m, 1h or 7d");
        }
    }

    static String format(Duration d) { return d == null ? null : Durations.format(d); }

    static Instant instant(String field, String text) {
        if (text == null) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw Failure.invalidRequest(field, field + " must be an RFC 3339 time in UTC, e.g. 2026-12-07T10:00:00Z");
        }
    }

    static <T> List<T> orEmpty(List<T> list) { return list == null ? List.of() : list; }

    static String time(Instant t) { return t == null ? null : t.toString(); }
}
