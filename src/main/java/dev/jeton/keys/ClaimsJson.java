package dev.jeton.keys;

import java.util.Collection;

/**
 * Writes a JWT payload (or header) as compact JSON, member by member, in the order given: no
 * map, no reflection, one builder per token. Strings are escaped per RFC 8259, and surrogates
 * always as {@code \\u} escapes, so that a lone one (a client's nonce can hold anything) reads
 * back as written instead of turning into '?' in UTF-8.
 *
 * <p>{@link #standardBase64Safe()} also escapes every character whose JSON makes base64url
 * differ from standard base64: the Go, Java and Python ACR clients decode registry tokens with
 * a standard decoder, and base64url of ASCII JSON has '-' or '_' only where the JSON has '>',
 * '?', '~' or DEL, so those (and anything non-ASCII) are written as {@code \\u} escapes.
 */
public final class ClaimsJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(320).append('{');
    private final boolean standardBase64Safe;

    public ClaimsJson() {
        this(false);
    }

    private ClaimsJson(boolean standardBase64Safe) {
        this.standardBase64Safe = standardBase64Safe;
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
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) || (standardBase64Safe && (c == '>' || c == '?' || c == '~' || c >= 0x7F))) {
                out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
