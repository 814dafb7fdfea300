package dev.jeton.http;

import dev.jeton.model.Failure;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of an {@code application/x-www-form-urlencoded} body or a query string, parsed
 * strictly: bad percent-encoding or invalid UTF-8 is a client error, never a 500.
 */
public final class Form {
    public static final Form EMPTY = new Form(Map.of());

    private final Map<String, List<String>> values;

    private Form(Map<String, List<String>> values) { this.values = values; }

    public static Form parse(String encoded) {
        if (encoded == null || encoded.isEmpty()) return EMPTY;
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return new Form(values);
    }

    /**
     * The single value of a parameter; null when absent or empty (RFC 6749 3.1: parameters
     * sent without a value are treated as omitted). Sent twice is an error (RFC 6749 3.1).
     */
    public String single(String name) {
        List<String> v = values.get(name);
        if (v == null) return null;
        if (v.size() > 1) throw Failure.invalidRequest(name, "parameter '" + name + "' was sent more than once");
        String s = v.getFirst();
        return s.isEmpty() ? null : s;
    }

    /** Every value of a repeatable parameter, in order; empty when absent. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public boolean has(String name) { return values.containsKey(name); }

    public java.util.Set<String> names() { return values.keySet(); }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
        // UTF-8 needs at most three bytes per UTF-16 unit (a surrogate pair: four for two).
        byte[] out = new byte[s.length() * 3];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out[n++] = ' ';
            } else if (c == '%') {
                if (i + 2 >= s.length()) throw Failure.invalidRequest("malformed percent-encoding in form data");
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw Failure.invalidRequest("malformed percent-encoding in form data");
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c > 0x7F) {
                // A run of raw non-ASCII text, encoded whole so that surrogate pairs stay one character.
                int end = i + 1;
                while (end < s.length() && s.charAt(end) > 0x7F) end++;
                n = encodeUtf8(s, i, end, out, n);
                i = end - 1;
            } else {
                out[n++] = (byte) c;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw Failure.invalidRequest("form data is not valid UTF-8");
        }
    }

    private static int encodeUtf8(String s, int start, int end, byte[] out, int at) {
        ByteBuffer target = ByteBuffer.wrap(out, at, out.length - at);
        CoderResult result = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(s, start, end), target, true);
        // A lone surrogate has no UTF-8 form.
        if (result.isError()) throw Failure.invalidRequest("form data is not valid UTF-8");
        return target.position();
    }
}
