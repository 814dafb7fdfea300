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
