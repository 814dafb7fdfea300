package dev.jeton.json;

/**
 * Writes JSON string literals (RFC 8259) straight into a caller's {@link StringBuilder}: the one
 * escaper of the JSON Jeton writes by hand (token claims, audit lines). It imports nothing of
 * Jeton, so every layer may use it.
 *
 * <p>Beyond what RFC 8259 requires ({@code "}, {@code \}, and U+0000 to U+001F), every writer
 * also escapes:
 * <ul>
 *   <li>DEL and the C1 controls (U+007F to U+009F): a terminal showing an audit line must not
 *       act on a control character a client put in its User-Agent;</li>
 *   <li>U+2028 and U+2029, line breaks to JavaScript and to some log viewers: one event stays
 *       one line;</li>
 *   <li>every surrogate, paired or not: a lone one (a client's nonce can hold anything) would
 *       turn into '?' once the text is encoded as UTF-8; escaped, it reads back exactly as
 *       written.</li>
 * </ul>
 * {@link #alsoEscaping} makes a writer that escapes more, such as the registry's token payloads.
 *
 * <p>A plain run of characters is copied in one {@code append}; nothing is allocated.
 */
public final class JsonString {
    /** The escaping every JSON text gets. */
    public static final JsonString STANDARD = new JsonString(standardTable(), false);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** For each ASCII character: true when it is written as an escape. */
    private final boolean[] escapedAscii;
    private final boolean escapesNonAscii;

    private JsonString(boolean[] escapedAscii, boolean escapesNonAscii) {
        this.escapedAscii = escapedAscii;
        this.escapesNonAscii = escapesNonAscii;
    }

    /**
     * A writer that also escapes these ASCII characters and, when {@code nonAscii}, every
     * character above U+007F, so that the JSON text is ASCII.
     */
    public JsonString alsoEscaping(String ascii, boolean nonAscii) {
        boolean[] table = escapedAscii.clone();
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (c >= 128) throw new IllegalArgumentException("not an ASCII character: U+" + Integer.toHexString(c));
            table[c] = true;
        }
        return new JsonString(table, escapesNonAscii || nonAscii);
    }

    /** Appends {@code s} as a quoted JSON string; null as {@code null}. */
    public void append(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        int plain = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 128 ? !escapedAscii[c] : !escapes(c)) continue;
            out.append(s, plain, i);
            escape(out, c);
            plain = i + 1;
        }
        out.append(s, plain, s.length()).append('"');
    }

    private boolean escapes(char c) {
        return escapesNonAscii || c <= 0x9F || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c);
    }

    private static void escape(StringBuilder out, char c) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
        }
    }

    private static boolean[] standardTable() {
        boolean[] table = new boolean[128];
        for (int c = 0; c < 0x20; c++) table[c] = true;
        table['"'] = true;
        table['\\'] = true;
        table[0x7F] = true;
        return table;
    }
}
