package dev.jeton.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MultipartForm#parse}: any body gives fields or INVALID_REQUEST; a well-formed body gives back every field. */
class MultipartFormFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void parseWhenAnyBodyThenFieldsOrInvalidRequest(FuzzedDataProvider data) {
        String boundary = data.consumeBoolean() ? "b" : data.consumeString(72);
        String body = data.consumeRemainingAsString();
        try {
            MultipartForm.parse(body, boundary);
        } catch (Failure f) {
            assertThat(f.reason()).isEqualTo(Reason.INVALID_REQUEST);
        }
    }

    @FuzzTest(maxDuration = "1m")
    void parseWhenWellFormedThenEveryFieldInOrder(FuzzedDataProvider data) {
        String boundary = "jeton" + data.consumeInt(0, Integer.MAX_VALUE);
        int fields = data.consumeInt(0, 6);
        Map<String, List<String>> expected = new LinkedHashMap<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields; i++) {
            // RFC 7578 4.2: field names are quoted strings; quotes, ';' and line breaks would need escaping.
            String name = data.consumeString(16).replaceAll("[\";\\r\\n]", "");
            String value = data.consumeString(64);
            // RFC 2046 5.1.1: the delimiter (CRLF, "--", boundary) must not occur in a part.
            if (!encodable(name) || !encodable(value) || ("\r\n" + value).contains("\r\n--" + boundary)) return;
            expected.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(name)
                    .append("\"\r\n\r\n").append(value).append("\r\n");
        }
        body.append("--").append(boundary).append("--\r\n");

        Form form = MultipartForm.parse(body.toString(), boundary);
        assertThat(form.names()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, values) -> assertThat(form.all(name)).isEqualTo(values));
    }

    /** A lone surrogate has no UTF-8 form, so no client can send it. */
    private static boolean encodable(String s) {
        return s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
