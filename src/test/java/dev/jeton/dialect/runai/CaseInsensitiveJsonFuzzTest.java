package dev.jeton.dialect.runai;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Run:ai's JSON bodies: fields within their limits or INVALID_REQUEST, never another exception. */
class CaseInsensitiveJsonFuzzTest {
    private static final String[] FIELDS = {"grantType", "appID", "appSecret", "clientID", "clientSecret", "username", "password",
            "refreshToken", "code", "redirectUri", "codeVerifier", "externalToken", "id", "name", "secret"};

    @FuzzTest(maxDuration = "1m")
    void parseWhenObjectOfStringsThenEveryFieldReadsBackByAnyCase(FuzzedDataProvider data) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        Map<String, String> expected = new HashMap<>();
        for (int i = data.consumeInt(0, 6); i > 0; i--) {
            String name = data.consumeString(12);
            String value = data.consumeString(40);
            if (expected.putIfAbsent(name.toLowerCase(Locale.ROOT), value) != null) continue;
            String decoy = "decoy-" + data.consumeString(4);
            if (data.consumeBoolean() && !expected.containsKey(decoy.toLowerCase(Locale.ROOT))) {
                object.set(decoy, JsonNodeFactory.instance.arrayNode().add(value));
            }
            object.put(name, value);
        }
        CaseInsensitiveJson json;
        try {
            json = CaseInsensitiveJson.parse(object.toString());
        } catch (Failure duplicate) {
            // a decoy field whose name collides with one of ours, in some case
            assertThat(duplicate.detail()).endsWith("is given more than once");
            return;
        }
        expected.forEach((name, value) -> {
            assertThat(json.text(swapAsciiCase(name), 1000)).isEqualTo(value.isEmpty() ? null : value);
        });
    }

    /** Field names are ASCII camelCase: the variants a client may send differ in ASCII case only. */
    private static String swapAsciiCase(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return out.toString();
    }

    @FuzzTest(maxDuration = "1m")
    void parseWhenAnyBodyThenFieldsWithinLimitsOrInvalidRequest(byte[] body) {
        CaseInsensitiveJson json;
        try {
            json = CaseInsensitiveJson.parse(new String(body, StandardCharsets.UTF_8));
        } catch (Failure f) {
            assertThat(f.reason()).isEqualTo(Reason.INVALID_REQUEST);
            return;
        }
        for (String field : FIELDS) {
            try {
                String value = json.text(field, 255);
                if (value != null) assertThat(value).isNotEmpty().hasSizeLessThanOrEqualTo(255);
            } catch (Failure f) {
                assertThat(f.reason()).isEqualTo(Reason.INVALID_REQUEST);
                assertThat(f.param()).isEqualTo(field);
            }
        }
    }
}
