package dev.jeton.engine.registry;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.keys.ClaimsJson;
import dev.jeton.model.AccessScope;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registry token payloads carry client-chosen scope names: whatever they hold, the payload is
 * JSON that says exactly what was written (no claim injection), ASCII only, and free of the
 * characters that would put '-' or '_' in its base64url form.
 */
class RegistryJsonFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "1m")
    void payloadWhenAnyNamesThenJsonThatReadsBackExactly(FuzzedDataProvider data) throws Exception {
        String subject = data.consumeString(40);
        List<AccessScope> scopes = new ArrayList<>();
        int count = data.consumeInt(0, 3);
        for (int i = 0; i < count; i++) {
            scopes.add(new AccessScope(data.consumeString(12), data.consumeBoolean() ? null : data.consumeString(8), data.consumeString(60),
                    List.of(data.consumeString(10), data.consumeString(10))));
        }
        String payload = RegistryTokens.access(ClaimsJson.standardBase64Safe().string("sub", subject).number("exp", data.consumeLong()), scopes).end();

        assertThat(payload.chars()).allSatisfy(c -> assertThat(c).isBetween(0x20, 0x7E).isNotIn((int) '>', (int) '?', (int) '~'));
        JsonNode read = JSON.readTree(payload);
        assertThat(read.size()).isEqualTo(3);
        assertThat(read.get("sub").textValue()).isEqualTo(subject);
        assertThat(read.get("access")).hasSize(scopes.size());
        for (int i = 0; i < scopes.size(); i++) {
            AccessScope s = scopes.get(i);
            JsonNode written = read.get("access").get(i);
            assertThat(written.get("type").textValue()).isEqualTo(s.type());
            if (s.resourceClass() == null) assertThat(written.has("class")).isFalse();
            else assertThat(written.get("class").textValue()).isEqualTo(s.resourceClass());
            assertThat(written.get("name").textValue()).isEqualTo(s.name());
            assertThat(written.get("actions").get(0).textValue()).isEqualTo(s.actions().get(0));
            assertThat(written.get("actions").get(1).textValue()).isEqualTo(s.actions().get(1));
        }
    }
}
