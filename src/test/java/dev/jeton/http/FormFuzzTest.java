package dev.jeton.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Form#parse} on any body or query string: parameters or INVALID_REQUEST, never another
 * exception, and whatever it parsed survives being encoded again and re-parsed.
 */
class FormFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void parseWhenAnyInputThenParametersThatRoundTripOrInvalidRequest(byte[] input) {
        Form form;
        try {
            form = Form.parse(new String(input, StandardCharsets.UTF_8));
        } catch (Failure f) {
            assertThat(f.reason()).isEqualTo(Reason.INVALID_REQUEST);
            return;
        }
        StringJoiner encoded = new StringJoiner("&");
        for (String name : form.names()) {
            for (String value : form.all(name)) encoded.add(encode(name) + "=" + encode(value));
            try {
                String single = form.single(name);
                assertThat(form.all(name)).hasSize(1);
                assertThat(single == null ? "" : single).isEqualTo(form.all(name).getFirst());
            } catch (Failure twice) {
                assertThat(twice.reason()).isEqualTo(Reason.INVALID_REQUEST);
                assertThat(twice.param()).isEqualTo(name);
                assertThat(form.all(name).size()).isGreaterThan(1);
            }
        }
        Form again = Form.parse(encoded.toString());
        assertThat(again.names()).containsExactlyElementsOf(form.names());
        for (String name : form.names()) assertThat(again.all(name)).isEqualTo(form.all(name));
    }

    private static String encode(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
