package dev.jeton.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The one JSON string escaper: what each kind of character becomes, and that Jackson reads every one back as written. */
class JsonStringTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonString ASCII = JsonString.STANDARD.alsoEscaping(">?~", true);

    static Stream<Arguments> characters() {
        return Stream.of(
                // name, text, standard writer, ASCII writer escaping >?~
                Arguments.of("plain", "ada@example.com", "\"ada@example.com\"", "\"ada@example.com\""),
                Arguments.of("quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\"", "\"a\\\"b\\\\c\""),
                Arguments.of("newline, return, tab", "a\nb\rc\td", "\"a\\nb\\rc\\td\"", "\"a\\nb\\rc\\td\""),
                Arguments.of("other C0 controls", "\u0000\u0007\u001b\u001f", "\"\\u0000\\u0007\\u001b\\u001f\"",
                        "\"\\u0000\\u0007\\u001b\\u001f\""),
                Arguments.of("DEL and C1 controls", "\u007f\u0085\u009b", "\"\\u007f\\u0085\\u009b\"", "\"\\u007f\\u0085\\u009b\""),
                Arguments.of("line and paragraph separators", "a\u2028b\u2029", "\"a\\u2028b\\u2029\"", "\"a\\u2028b\\u2029\""),
                Arguments.of("lone surrogates", "\ud800x\udfff", "\"\\ud800x\\udfff\"", "\"\\ud800x\\udfff\""),
                Arguments.of("a surrogate pair", "\ud83d\ude00", "\"\\ud83d\\ude00\"", "\"\\ud83d\\ude00\""),
                Arguments.of("characters base64url turns into - or _", "a>b?c~", "\"a>b?c~\"", "\"a\\u003eb\\u003fc\\u007e\""),
                Arguments.of("Latin-1 and CJK letters", "é中", "\"é中\"", "\"\\u00e9\\u4e2d\""),
                Arguments.of("empty", "", "\"\"", "\"\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("characters")
    void appendWhenTextHoldsTheseCharactersThenWritesThemSoAndTheyReadBackExactly(String name, String text, String standard,
                                                                                   String ascii) throws Exception {
        assertThat(written(JsonString.STANDARD, text)).isEqualTo(standard);
        assertThat(written(ASCII, text)).isEqualTo(ascii);
        assertThat(JSON.readTree(standard).textValue()).isEqualTo(text);
        assertThat(JSON.readTree(ascii).textValue()).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("characters")
    void appendWhenBuilderHoldsTextThenAddsAfterIt(String name, String text, String standard, String ascii) {
        StringBuilder out = new StringBuilder("{\"k\":");
        JsonString.STANDARD.append(out, text);
        assertThat(out).hasToString("{\"k\":" + standard);
    }

    @Test
    void appendWhenNullThenJsonNull() {
        assertThat(written(JsonString.STANDARD, null)).isEqualTo("null");
    }

    private static String written(JsonString writer, String text) {
        StringBuilder out = new StringBuilder();
        writer.append(out, text);
        return out.toString();
    }
}
