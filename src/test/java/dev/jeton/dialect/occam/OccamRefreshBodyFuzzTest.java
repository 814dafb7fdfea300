package dev.jeton.dialect.occam;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jeton.http.Json;
import dev.jeton.model.Failure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Occam's {@code RefreshTokenRequest} reader on any body: the token, exactly one pydantic
 * error that serialises to FastAPI's 422 shape, or FastAPI's 400 for a body it cannot read;
 * never another exception.
 */
class OccamRefreshBodyFuzzTest {

    @FuzzTest(maxDuration = "1m")
    void refreshTokenWhenAnyBodyThenTokenOrOneValidationError(byte[] body) {
        String contentType = body.length == 0 || body[0] != 'f' ? "application/json" : "text/plain";
        List<OccamWire.ValidationError> invalid = new ArrayList<>();
        String token;
        try {
            token = RefreshTokenBody.token(contentType, new String(body, StandardCharsets.UTF_8), invalid);
        } catch (Failure unreadable) {
            assertThat(unreadable.detail()).isEqualTo(RefreshTokenBody.UNPARSEABLE);
            return;
        }
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
