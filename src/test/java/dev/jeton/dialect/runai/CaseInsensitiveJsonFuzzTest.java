package dev.jeton.dialect.runai;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jeton.model.Failure;
import dev.jeton.model.Reason;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Run:ai's JSON bodies: fields within their limits or INVALID_REQUEST, never another exception. */
class CaseInsensitiveJsonFuzzTest {
    private static final String[] FIELDS = {"grantType", "appID", "appSecret", "clientID", "clientSecret", "username", "password",
            "refreshToken", "code", "redirectUri", "codeVerifier", "externalToken", "id", "name", "secret"};

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
