package dev.jeton.dialect.runai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jeton.http.Json;
import dev.jeton.model.Failure;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON object whose keys match case-insensitively ({@code appId}, {@code AppId} and
 * {@code appID} are one key), with per-field length limits. An empty body reads as {}.
 */
final class CaseInsensitiveJson {
    private final Map<String, JsonNode> fields;

    private CaseInsensitiveJson(Map<String, JsonNode> fields) { this.fields = fields; }

    static CaseInsensitiveJson parse(String body) {
        if (body.isBlank()) return new CaseInsensitiveJson(Map.of());
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw Failure.invalidRequest("the body is not valid JSON");
        }
        if (node == null || !node.isObject()) throw Failure.invalidRequest("the body must be a JSON object");
        Map<String, JsonNode> fields = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (fields.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()) != null) {
                throw Failure.invalidRequest(e.getKey(), "field '" + e.getKey() + "' is given more than once");
            }
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
