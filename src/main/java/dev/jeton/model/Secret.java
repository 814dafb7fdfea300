package dev.jeton.model;

/** A value that must never reach a log: its {@code toString()} is {@code ***}. */
public record Secret(String value) {
    public Secret {
        if (value == null) throw new IllegalArgumentException("secret value is null");
    }

    public static Secret ofNullable(String value) {
        return value == null ? null : new Secret(value);
    }

    public boolean isEmpty() { return value.isEmpty(); }

    @Override
    public String toString() { return "***"; }
}
