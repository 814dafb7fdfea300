package dev.jeton.dialect.occam;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.Arrays;

/**
 * A request body read as FastAPI reads it, with Python's {@code json.loads} on the bytes: a
 * leading UTF-8 byte order mark is dropped, {@code NaN} and {@code Infinity} are numbers, and a
 * syntax error is reported in the words and at the position (in code points) of CPython's C
 * scanner, which FastAPI copies into its 422 {@code json_invalid} error. The messages are those
 * of CPython 3.13 and later (earlier versions word a trailing comma differently).
 *
 * <p>The checks below walk the text as that scanner does, only to find its first error; the
 * value itself is built by Jackson, once the text is known to be one Python would accept.
 */
final class PythonJson {
    /** Python's default int_max_str_digits: a longer integer is a ValueError, not a JSONDecodeError. */
    private static final int MAX_INT_DIGITS = 4300;
    /** Python stops at its recursion limit (about 1000 containers deep), Jackson at its maxNestingDepth (1000). */
    private static final int MAX_DEPTH = 1000;
    /** Python reads NaN and Infinity, and keys and numbers of any length. */
    private static final ObjectReader READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(Integer.MAX_VALUE).maxNameLength(Integer.MAX_VALUE).build())
                    .build())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build().reader();

    /** What {@code json.loads} made of a body. */
    sealed interface Result permits Value, Invalid, Unreadable {
    }

    /** The parsed value ({@code null} is a NullNode). */
    record Value(JsonNode node) implements Result {
    }

    /** A JSONDecodeError: its {@code msg} and {@code pos}. */
    record Invalid(String message, int position) implements Result {
    }

    /** Any other failure (too deep, an integer too long): FastAPI answers these 400 "There was an error parsing the body". */
    record Unreadable() implements Result {
    }

    private PythonJson() {
    }

    static Result read(String body) {
        String s = body.startsWith("\uFEFF") ? body.substring(1) : body; // bytes decode as utf-8-sig
        try {
            new Scan(s).document();
        } catch (SyntaxError e) {
            return e.message == null ? new Unreadable() : new Invalid(e.message, s.codePointCount(0, e.index));
        }
        try {
            return new Value(READER.readTree(s));
        } catch (JsonProcessingException e) {
            return new Unreadable();
        }
    }

    /** Python's first complaint, or (message null) a failure that is not a JSONDecodeError. */
    private static final class SyntaxError extends Exception {
        final String message;
        final int index;

        SyntaxError(String message, int index) {
            super(message, null, false, false);
            this.message = message;
            this.index = index;
        }
    }

    /** One pass over the text, in the order and with the tests of CPython's scanner; containers on an explicit stack. */
    private static final class Scan {
        private final String s;
        private final int n;
        private char[] open = new char[16];
        private int depth;

        Scan(String s) {
            this.s = s;
            this.n = s.length();
        }

        void document() throws SyntaxError {
            int i = value(ws(0));
            while (true) {
                if (depth == 0) {
                    i = ws(i);
                    if (i != n) throw new SyntaxError("Extra data", i);
                    return;
                }
                i = ws(i);
                char close = open[depth - 1] == '{' ? '}' : ']';
                if (i < n && s.charAt(i) == close) {
                    depth--;
                    i++;
                    continue;
                }
                if (i >= n || s.charAt(i) != ',') throw new SyntaxError("Expecting ',' delimiter", i);
                int comma = i;
                i = ws(i + 1);
                if (i < n && s.charAt(i) == close) {
                    throw new SyntaxError("Illegal trailing comma before end of " + (close == '}' ? "object" : "array"), comma);
                }
                i = value(close == '}' ? member(i) : i);
            }
        }

        /** Reads one value at i; an opened container is pushed and its first value read, down to the first scalar or empty container. */
        private int value(int i) throws SyntaxError {
            while (true) {
                if (i >= n) throw new SyntaxError("Expecting value", i);
                char c = s.charAt(i);
                if (c == '{' || c == '[') {
                    int next = ws(i + 1);
                    char close = c == '{' ? '}' : ']';
                    if (next < n && s.charAt(next) == close) return next + 1;
                    push(c);
                    i = c == '{' ? member(next) : next;
                    continue;
                }
                if (c == '"') return string(i);
                if (matches(i, "null") || matches(i, "true") || matches(i, "NaN")) return i + (c == 'N' ? 3 : 4);
                if (matches(i, "false")) return i + 5;
                if (matches(i, "Infinity")) return i + 8;
                if (matches(i, "-Infinity")) return i + 9;
                int end = number(i);
                if (end < 0) throw new SyntaxError("Expecting value", i);
                return end;
            }
        }

        /** A key and its colon, leaving i at the member's value. */
        private int member(int i) throws SyntaxError {
            if (i >= n || s.charAt(i) != '"') throw new SyntaxError("Expecting property name enclosed in double quotes", i);
            i = ws(string(i));
            if (i >= n || s.charAt(i) != ':') throw new SyntaxError("Expecting ':' delimiter", i);
            return ws(i + 1);
        }

        /** The index after the string whose quote is at {@code quote}. */
        private int string(int quote) throws SyntaxError {
            int end = quote + 1;
            while (true) {
                int next = end;
                char c = 0;
                for (; next < n; next++) {
                    c = s.charAt(next);
                    if (c == '"' || c == '\\') break;
                    if (c <= 0x1f) throw new SyntaxError("Invalid control character at", next);
                }
                if (next < n && c == '"') return next + 1;
                if (next >= n) throw new SyntaxError("Unterminated string starting at", quote);
                next++; // past the backslash
                if (next == n) throw new SyntaxError("Unterminated string starting at", quote);
                c = s.charAt(next);
                if (c != 'u') {
                    end = next + 1;
                    if ("\"\\/bfnrt".indexOf(c) < 0) throw new SyntaxError("Invalid \\escape", end - 2);
                    continue;
                }
                next++;
                end = next + 4;
                // As CPython: the four digits must not end the text (a closing quote has to follow somewhere).
                if (end >= n) throw new SyntaxError("Invalid \\uXXXX escape", next - 1);
                int unit = hex4(next, end);
                if (Character.isHighSurrogate((char) unit) && end + 6 < n && s.charAt(end) == '\\' && s.charAt(end + 1) == 'u') {
                    int low = hex4(end + 2, end + 6);
                    if (Character.isLowSurrogate((char) low)) end += 6;
                }
            }
        }

        /** Four hex digits in [from, to), where to is the index after them; an error names the {@code u} before them. */
        private int hex4(int from, int to) throws SyntaxError {
            int v = 0;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0) throw new SyntaxError("Invalid \\uXXXX escape", to - 5);
                v = v << 4 | d;
            }
            return v;
        }

        /** The index after the number at start, or -1 where there is none; an integer too long for Python fails the whole read. */
        private int number(int start) throws SyntaxError {
            int last = n - 1;
            int i = start;
            if (s.charAt(i) == '-' && ++i > last) return -1;
            char c = s.charAt(i);
            if (c >= '1' && c <= '9') {
                i++;
                while (i <= last && digit(i)) i++;
            } else if (c == '0') {
                i++;
            } else {
                return -1;
            }
            int integerEnd = i;
            boolean isFloat = false;
            if (i < last && s.charAt(i) == '.' && digit(i + 1)) {
                isFloat = true;
                i += 2;
                while (i <= last && digit(i)) i++;
            }
            if (i < last && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                int e = i++;
                if (i < last && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
                while (i <= last && digit(i)) i++;
                if (digit(i - 1)) {
                    isFloat = true;
                } else {
                    i = e;
                }
            }
            int digits = integerEnd - start - (s.charAt(start) == '-' ? 1 : 0);
            if (!isFloat && digits > MAX_INT_DIGITS) throw new SyntaxError(null, start);
            return i;
        }

        private boolean digit(int i) {
            char c = s.charAt(i);
            return c >= '0' && c <= '9';
        }

        private boolean matches(int i, String word) {
            return s.startsWith(word, i);
        }

        private int ws(int i) {
            while (i < n) {
                char c = s.charAt(i);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
                i++;
            }
            return i;
        }

        private void push(char c) throws SyntaxError {
            if (depth == MAX_DEPTH) throw new SyntaxError(null, 0);
            if (depth == open.length) open = Arrays.copyOf(open, depth * 2);
            open[depth++] = c;
        }
    }
}
