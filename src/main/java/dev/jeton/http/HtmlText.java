package dev.jeton.http;

/**
 * Escaping for text put into server-rendered HTML (the login, device and logout pages, the
 * console): one escape is safe both between tags and inside a double- or single-quoted attribute.
 */
public final class HtmlText {
    private HtmlText() {
    }

    /** {@code s} with {@code < > & " '} escaped; null becomes the empty string. */
    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
