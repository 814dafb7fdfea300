package dev.jeton.http;

import dev.jeton.json.JsonString;

import java.nio.charset.StandardCharsets;

/**
 * One JSON object written member by member, for {@link JsonBody} records: a null string member
 * is left out, as {@link Json#MAPPER} leaves out nulls.
 */
public final class JsonObject {
    private final StringBuilder out;

    public JsonObject(int expectedLength) {
        out = new StringBuilder(expectedLength).append('{');
    }

    public JsonObject string(String name, String value) {
        if (value == null) return this;
        name(name);
        JsonString.STANDARD.append(out, value);
        return this;
    }

    public JsonObject number(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    public byte[] bytes() {
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private void name(String name) {
        if (out.length() > 1) out.append(',');
        JsonString.STANDARD.append(out, name);
        out.append(':');
    }
}
