package dev.jeton.dialect.runai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.jeton.http.Json;
import dev.jeton.model.Failure;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON object whose keys match case-insensitively ({@code appId}, {@code AppId} and
 * {@code appID} are one key), with per-field length limits. An empty body reads as {}.
 */
final class CaseInsensitiveJson {
    /** One field's value; the object goes on after it, so trailing tokens are no error here. */
    private static final ObjectReader VALUE = Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final Map<String, JsonNode> fields;

    private CaseInsensitiveJson(Map<String, JsonNode> fields) { this.fields = fields; }

    static CaseInsensitiveJson parse(String body) {
        if (body.isBlank()) return new CaseInsensitiveJson(Map.of());
        Map<String, JsonNode> fields = new HashMap<>();
        // Field by field rather than readTree, which would keep the last of two equal keys silently.
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) throw Failure.invalidRequest("the body must be a JSON object");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                JsonNode value = VALUE.readTree(parser);
                if (fields.put(name.toLowerCase(Locale.ROOT), value) != null) {
                    throw Failure.invalidRequest(name, "field '" + name + "' is given more than once");
                }
            }
            if (parser.nextToken() != null) throw Failure.invalidRequest("the body is not valid JSON");
        } catch (IOException e) {
            throw Failure.invalidRequest("the body is not valid JSON");
        }
        return new CaseInsensitiveJson(fields);
    }

    /** The string value, null when absent, null or empty; a non-string is a client error. */
    String text(String name, int maxLength) {
        JsonNode v = fields.get(name.toLowerCase(Locale.ROOT));
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw Failure.invalidRequest(name, name + " must be a string");
        String s = v.asText();
        if (s.length() > maxLength) throw Failure.invalidRequest(name, name + " is longer than " + maxLength + " characters");
        return s.isEmpty() ? null : s;
    }
}
