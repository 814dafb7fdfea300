package dev.jeton.http;

import dev.jeton.model.Failure;
import dev.jeton.model.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormTest {
    @Test
    void parseWhenEncodedThenDecodesPlusPercentAndUtf8() {
        Form f = Form.parse("a=b+c&d=%C3%A9t%C3%A9&e=&f&scope=repository%3Aapp%3Apull&scope=x");
        assertThat(f.single("a")).isEqualTo("b c");
        assertThat(f.single("d")).isEqualTo("été");
        assertThat(f.single("e")).isNull();
        assertThat(f.single("f")).isNull();
        assertThat(f.has("f")).isTrue();
        assertThat(f.all("scope")).containsExactly("repository:app:pull", "x");
        assertThat(f.single("missing")).isNull();
    }

    @Test
    void parseWhenRawMultiByteTextBeforePlusOrPercentThenDecoded() {
        // Found by FormFuzzTest: the byte buffer ran out (a 500) when raw UTF-8 filled it exactly.
        assertThat(Form.parse("a=\u00e9+").single("a")).isEqualTo("\u00e9 ");
        assertThat(Form.parse("a=\u20ac\u20ac%41").single("a")).isEqualTo("\u20ac\u20acA");
        assertThat(Form.parse("a=\uD83D\uDE00+%F0%9F%98%80").single("a")).isEqualTo("\uD83D\uDE00 \uD83D\uDE00");
        assertThatThrownBy(() -> Form.parse("a=\uD83D+")).isInstanceOf(Failure.class);
    }

    @Test
    void multipartWhenBoundaryTextInsideALineThenPartOfTheValue() {
        // RFC 2046 5.1.1: only CRLF "--" boundary delimits; found by MultipartFormFuzzTest.
        Form f = MultipartForm.parse("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx--b y\r\n--b--\r\n", "b");
        assertThat(f.single("a")).isEqualTo("x--b y");
        // Found by WholeRequestFuzzTest: an empty part right after the first delimiter was a 500.
        assertThatThrownBy(() -> MultipartForm.parse("--b\r\n--b--", "b")).isInstanceOf(Failure.class);
    }

    @Test
    void singleWhenSentTwiceThenInvalidRequest() {
        assertThatThrownBy(() -> Form.parse("a=1&a=2").single("a"))
                .isInstanceOfSatisfying(Failure.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST);
                    assertThat(e.param()).isEqualTo("a");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%", "a=%4", "a=%zz", "a=%ff", "a=%C3"})
    void parseWhenMalformedThenInvalidRequestNotAnException(String body) {
        assertThatThrownBy(() -> Form.parse(body))
                .isInstanceOfSatisfying(Failure.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST));
    }

    @Test
    void basicWhenValidThenSplitsAtFirstColon() {
        BasicCredentials c = BasicCredentials.parse("Basic " + java.util.Base64.getEncoder().encodeToString("id:pa:ss".getBytes()));
        assertThat(c).isEqualTo(new BasicCredentials("id", "pa:ss"));
        assertThat(BasicCredentials.parse("Bearer x")).isNull();
        assertThat(BasicCredentials.parse(null)).isNull();
    }
}
