package dev.jeton.engine.registry;

import dev.jeton.model.AccessScope;

import java.util.List;

/**
 * Writes registry token payloads byte for byte. The Go, Java and Python ACR clients decode
 * them with a standard (not URL-safe) base64 decoder; base64url of ASCII JSON has '-' or '_'
 * only where the JSON has '>', '?', '~' or DEL, so those (and anything non-ASCII) are
 * written as \\u escapes.
 */
final class RegistryJson {
    private final StringBuilder out = new StringBuilder(256).append('{');
    private boolean first = true;

    RegistryJson string(String name, String value) {
        key(name);
        quote(value);
        return this;
    }

    RegistryJson number(String name, long value) {
        key(name);
        out.append(value);
        return this;
    }

    RegistryJson access(List<AccessScope> scopes) {
        key("access");
        out.append('[');
        for (int i = 0; i < scopes.size(); i++) {
            AccessScope s = scopes.get(i);
            if (i > 0) out.append(',');
            out.append("{\"type\":");
            quote(s.resourceClass() == null ? s.type() : s.type() + "(" + s.resourceClass() + ")");
            out.append(",\"name\":");
            quote(s.name());
            out.append(",\"actions\":[");
            for (int j = 0; j < s.actions().size(); j++) {
                if (j > 0) out.append(',');
                quote(s.actions().get(j));
            }
            out.append("]}");
        }
        out.append(']');
        return this;
    }

    String end() {
        return out.append('}').toString();
    }

    private void key(String name) {
        if (!first) out.append(',');
        first = false;
        quote(name);
        out.append(':');
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == '>' || c == '?' || c == '~' || c >= 0x7F) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
