package dev.jeton.dialect.occam;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jeton.http.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Occam's {@code RefreshTokenRequest} reader on any body: the token, or exactly one pydantic
 * error that serialises to FastAPI's 422 shape; never an exception.
 */
class OccamRefreshBodyFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void refreshTokenWhenAnyBodyThenTokenOrOneValidationError(byte[] body) {
        boolean json = body.length == 0 || body[0] != 'f';
        List<OccamWire.ValidationError> invalid = new ArrayList<>();
        String token = OccamDialect.refreshToken(json, new String(body, StandardCharsets.UTF_8), invalid);
        if (token != null) {
            assertThat(invalid).isEmpty();
            return;
        }
        assertThat(invalid).hasSize(1);
        OccamWire.ValidationError error = invalid.getFirst();
        assertThat(error.type()).isIn("missing", "model_attributes_type", "json_invalid", "string_type");
        assertThat(error.loc().getFirst()).isEqualTo("body");
        assertThat(new String(Json.bytes(new OccamWire.ValidationErrors(invalid)), StandardCharsets.UTF_8))
                .startsWith("{\"detail\":[{\"type\":\"" + error.type() + "\"");
    }
}
