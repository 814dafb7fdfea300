package dev.jeton.keys;

import dev.jeton.json.JsonString;

import java.util.Collection;

/**
 * Writes a JWT payload (or header) as compact JSON, member by member, in the order given: no
 * map, no reflection, one builder per token. Strings are escaped by {@link JsonString}: RFC 8259,
 * and surrogates always as {@code \\u} escapes, so that a lone one (a client's nonce can hold
 * anything) reads back as written instead of turning into '?' in UTF-8.
 *
 * <p>{@link #standardBase64Safe()} also escapes every character whose JSON makes base64url
 * differ from standard base64: the Go, Java and Python ACR clients decode registry tokens with
 * a standard decoder, and base64url of ASCII JSON has '-' or '_' only where the JSON has '>',
 * '?', '~' or DEL, so those (and anything non-ASCII) are written as {@code \\u} escapes.
 */
public final class ClaimsJson {
    /** SPEC.md, registry dialect: the ACR clients decode the payload with a standard base64 decoder. */
    private static final JsonString STANDARD_BASE64_SAFE = JsonString.STANDARD.alsoEscaping(">?~", true);

    private final StringBuilder out = new StringBuilder(320).append('{');
    private final JsonString strings;

    public ClaimsJson() {
        this(false);
    }

    private ClaimsJson(boolean standardBase64Safe) {
        this.strings = standardBase64Safe ? STANDARD_BASE64_SAFE : JsonString.STANDARD;
    }

    public static ClaimsJson standardBase64Safe() {
        return new ClaimsJson(true);
    }

    public ClaimsJson string(String name, String value) {
        name(name);
        quote(value);
        return this;
    }

    public ClaimsJson number(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    public ClaimsJson strings(String name, Collection<String> values) {
        beginArray(name);
        for (String v : values) value(v);
        return endArray();
    }

    public ClaimsJson beginArray(String name) {
        name(name);
        out.append('[');
        return this;
    }

    public ClaimsJson endArray() {
        out.append(']');
        return this;
    }

    /** Opens an object as the next element of the array being written. */
    public ClaimsJson beginObject() {
        separate();
        out.append('{');
        return this;
    }

    public ClaimsJson endObject() {
        out.append('}');
        return this;
    }

    /** Writes a string as the next element of the array being written. */
    public ClaimsJson value(String value) {
        separate();
        quote(value);
        return this;
    }

    /** Closes the outermost object and returns the JSON text. */
    public String end() {
        return out.append('}').toString();
    }

    private void name(String name) {
        separate();
        quote(name);
        out.append(':');
    }

    /** A comma, unless this is the first member or element of its object or array. */
    private void separate() {
        char last = out.charAt(out.length() - 1);
        if (last != '{' && last != '[') out.append(',');
    }

    private void quote(String s) {
        strings.append(out, s);
    }
}
