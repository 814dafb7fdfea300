package dev.jeton.dialect.occam;

import dev.jeton.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Python's {@code json.loads} errors, word for word and at its positions. Every row but the
 * two trailing-comma ones was checked against CPython 3.11's json module; those two follow
 * the scanner of CPython 3.13 and later, which names the comma.
 */
class PythonJsonTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(" ", "Expecting value", 1),
                Arguments.of("{", "Expecting property name enclosed in double quotes", 1),
                Arguments.of("[", "Expecting value", 1),
                Arguments.of("{\"refresh_token\":", "Expecting value", 17),
                Arguments.of("{refresh_token:1}", "Expecting property name enclosed in double quotes", 1),
                Arguments.of("{'refresh_token':'x'}", "Expecting property name enclosed in double quotes", 1),
                Arguments.of("{\"refresh_token\" 1}", "Expecting ':' delimiter", 17),
                Arguments.of("{\"a\" : 1 , \"b\" 2}", "Expecting ':' delimiter", 15),
                Arguments.of("{\"a\":1 \"b\":2}", "Expecting ',' delimiter", 7),
                Arguments.of("[1, 2 3]", "Expecting ',' delimiter", 6),
                Arguments.of("[1", "Expecting ',' delimiter", 2),
                Arguments.of("[1,", "Expecting value", 3),
                Arguments.of("{\"refresh_token\":\"abc\"} junk", "Extra data", 24),
                Arguments.of("  [ ] x", "Extra data", 6),
                Arguments.of("[{\"a\":[]},{\"b\":{}}, 3] ]", "Extra data", 23),
                Arguments.of("{}\u0000", "Extra data", 2),
                Arguments.of("{\"refresh_token\":\"abc", "Unterminated string starting at", 17),
                Arguments.of("\"ab\\", "Unterminated string starting at", 0),
                Arguments.of("\"", "Unterminated string starting at", 0),
                Arguments.of("{\"refresh_token\":\"a\nb\"}", "Invalid control character at", 19),
                Arguments.of("{\"refresh_token\":\"a\\qb\"}", "Invalid \\escape", 19),
                Arguments.of("{\"refresh_token\":\"\\u12\"}", "Invalid \\uXXXX escape", 19),
                Arguments.of("{\"refresh_token\":\"\\u12x4\"}", "Invalid \\uXXXX escape", 19),
                Arguments.of("\"\\u0041", "Invalid \\uXXXX escape", 2),
                Arguments.of("\"\\ud800\\u12x4\"", "Invalid \\uXXXX escape", 8),
                Arguments.of("tru", "Expecting value", 0),
                Arguments.of("true1", "Extra data", 4),
                Arguments.of("-", "Expecting value", 0),
                Arguments.of("-Inf", "Expecting value", 0),
                Arguments.of("01", "Extra data", 1),
                Arguments.of("1.", "Extra data", 1),
                Arguments.of("1e+", "Extra data", 1),
                Arguments.of(".5", "Expecting value", 0),
                Arguments.of("+1", "Expecting value", 0),
                Arguments.of("\u00a0{}", "Expecting value", 0),
                // positions count code points, as Python's do: the emoji is one
                Arguments.of("{\"\uD83D\uDE00\":1 2}", "Expecting ',' delimiter", 7),
                Arguments.of("\"\uD83D\uDE00\\x\"", "Invalid \\escape", 2),
                // a UTF-8 byte order mark is dropped first, as the bytes are decoded with utf-8-sig
                Arguments.of("\uFEFF{", "Expecting property name enclosed in double quotes", 1),
                Arguments.of("{\"a\":\"b\",  }", "Illegal trailing comma before end of object", 8),
                Arguments.of("{\"a\":[1,{\"b\":2},]}", "Illegal trailing comma before end of array", 15));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void readWhenNotJsonToPythonThenItsMessageAndPosition(String text, String message, int position) {
        assertThat(PythonJson.read(text)).isEqualTo(new PythonJson.Invalid(message, position));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("{\"refresh_token\":\"x\"}", "{\"refresh_token\":\"x\"}"),
                Arguments.of("\uFEFF{\"a\":1}\n\t ", "{\"a\":1}"),
                Arguments.of("null", "null"),
                Arguments.of("{\"a\":1,\"a\":2}", "{\"a\":2}"),
                Arguments.of("[-Infinity, NaN, Infinity, 1e5, -0]", "[\"-Infinity\",\"NaN\",\"Infinity\",100000.0,0]"),
                // (Jackson writes a surrogate pair escaped: the same JSON string)
                Arguments.of("\"\\ud83d\\ude00 \\u00e9\\/\"", "\"\\uD83D\\uDE00 \u00e9/\""),
                Arguments.of("{\"n\":" + "9".repeat(4300) + "}", "{\"n\":" + "9".repeat(4300) + "}"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void readWhenPythonAcceptsThenTheValue(String text, String json) throws Exception {
        assertThat(PythonJson.read(text)).isInstanceOfSatisfying(PythonJson.Value.class,
                v -> assertThat(new String(Json.bytes(v.node()), StandardCharsets.UTF_8)).isEqualTo(json));
    }

    @Test
    void readWhenAnIntegerIsLongerThanPythonConvertsThenUnreadable() {
        assertThat(PythonJson.read("{\"refresh_token\":\"x\",\"n\":-" + "1".repeat(4301) + "}")).isInstanceOf(PythonJson.Unreadable.class);
        assertThat(PythonJson.read("{\"n\":" + "1".repeat(5000) + ".5}")).isInstanceOf(PythonJson.Value.class);
    }

    @Test
    void readWhenNestedDeeperThanPythonRecursesThenUnreadable() {
        assertThat(PythonJson.read("[".repeat(5000) + "]".repeat(5000))).isInstanceOf(PythonJson.Unreadable.class);
        assertThat(PythonJson.read("[".repeat(50_000))).isInstanceOf(PythonJson.Unreadable.class);
        assertThat(PythonJson.read("[".repeat(999) + "]".repeat(999))).isInstanceOf(PythonJson.Value.class);
    }
}
