package dev.jeton.keys;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token claims carry client-chosen text (a nonce, a resource, a scope name): whatever it holds,
 * the payload is JSON that reads back exactly as written, lone surrogates included, so no
 * value can add or change a claim.
 */
class ClaimsJsonFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "1m")
    void claimsWhenAnyTextThenJsonThatReadsBackExactly(FuzzedDataProvider data) throws Exception {
        String name = data.consumeString(12);
        String value = data.consumeString(60);
        long number = data.consumeLong();
        List<String> values = List.of(data.consumeString(20), data.consumeString(20));
        String json = new ClaimsJson().string("a", value).number("n", number).strings("l", values).string("z" + name, value).end();

        JsonNode read = JSON.readTree(json);
        assertThat(read.size()).isEqualTo(4);
        assertThat(read.get("a").textValue()).isEqualTo(value);
        assertThat(read.get("n").longValue()).isEqualTo(number);
        assertThat(read.get("l").get(0).textValue()).isEqualTo(values.get(0));
        assertThat(read.get("l").get(1).textValue()).isEqualTo(values.get(1));
        assertThat(read.get("z" + name).textValue()).isEqualTo(value);
        assertThat(json.chars().filter(c -> c < 0x20 || Character.isSurrogate((char) c))).isEmpty();
    }
}
