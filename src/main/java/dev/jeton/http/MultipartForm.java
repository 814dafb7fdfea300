package dev.jeton.http;

import dev.jeton.model.Failure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text fields of a {@code multipart/form-data} body (RFC 7578), as {@code name=value}
 * pairs re-encoded for {@link Form}. File parts are kept as their text; token APIs take none.
 */
public final class MultipartForm {
    private MultipartForm() {
    }

    public static Form parse(String body, String boundary) {
        if (boundary == null || boundary.isEmpty()) throw Failure.invalidRequest("multipart body without a boundary");
        String delimiter = "--" + boundary;
        // RFC 2046 5.1.1: a delimiter starts a line; "--boundary" inside a line is content.
        String inner = "\r\n" + delimiter;
        List<String> pairs = new ArrayList<>();
        int at = body.startsWith(delimiter) ? 0 : body.indexOf(inner);
        if (at < 0) throw Failure.invalidRequest("multipart body does not contain its boundary");
        if (at > 0) at += 2;
        while (true) {
            int start = at + delimiter.length();
            if (body.startsWith("--", start)) break;
            int next = body.indexOf(inner, start);
            if (next < 0) throw Failure.invalidRequest("multipart body is not terminated");
            int from = skipLineBreak(body, start);
            // "--b\r\n--b": the next delimiter's CRLF is this one's line break, and the part is empty.
            String part = next < from ? "" : body.substring(from, next);
            int split = part.indexOf("\r\n\r\n");
            if (split < 0) throw Failure.invalidRequest("multipart part has no header/body separator");
            String name = fieldName(part.substring(0, split));
            if (name != null) pairs.add(encode(name) + "=" + encode(part.substring(split + 4)));
            at = next + 2;
        }
        return Form.parse(String.join("&", pairs));
    }

    private static int skipLineBreak(String s, int i) {
        return s.startsWith("\r\n", i) ? i + 2 : i;
    }

    private static String fieldName(String headers) {
        for (String line : headers.split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) continue;
            for (String param : line.substring(line.indexOf(':') + 1).split(";")) {
                String p = param.trim();
                if (p.startsWith("name=")) {
                    String v = p.substring(5);
                    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
                }
            }
        }
        return null;
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
