package dev.jeton.model;

import java.util.Locale;

/**
 * A Jeton principal named as {@code KIND:NAME} ({@code identity:build-agent}, {@code app:ci},
 * {@code user:alice}, {@code group:deployers}), as trust policies and registry rules name them.
 */
public record PrincipalRef(Kind kind, String name) {
    public enum Kind {
        IDENTITY, APP, USER, GROUP,
        /** Not a principal tokens are issued for: node agents of the nodes the name (a glob) matches. */
        NODE;

        public String wireName() { return name().toLowerCase(Locale.ROOT); }
    }

    public PrincipalRef {
        if (kind == null) throw new IllegalArgumentException("a principal needs a kind");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a principal needs a name");
    }

    /** Parses {@code KIND:NAME}; the message names the accepted kinds. */
    public static PrincipalRef parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected identity:NAME, app:NAME, user:NAME, group:NAME or node:GLOB, got '" + text + "'");
        }
        String kind = text.substring(0, colon).toUpperCase(Locale.ROOT);
        for (Kind k : Kind.values()) {
            if (k.name().equals(kind)) return new PrincipalRef(k, text.substring(colon + 1));
        }
        throw new IllegalArgumentException("unknown principal kind '" + text.substring(0, colon)
                + "': expected identity, app, user, group or node");
    }

    @Override
    public String toString() { return kind.wireName() + ":" + name; }
}
