package dev.jeton.dialect.occam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.jeton.dialect.occam.OccamWire.ValidationError;
import dev.jeton.model.Failure;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code RefreshTokenRequest} body of {@code POST /auth/refresh-token}, read as FastAPI
 * (with pydantic v2) reads a single required body model, and refused in its words.
 */
final class RefreshTokenBody {
    /** FastAPI's words for a body it could not read (not UTF-8, nested too deep, an integer too long for Python). */
    static final String UNPARSEABLE = "There was an error parsing the body";

    private RefreshTokenBody() {
    }

    /**
     * The token, or null after adding pydantic's error. An empty body and a JSON {@code null}
     * are both a missing body to FastAPI; a body it does not parse as JSON stays a string,
     * which is not an object. A body that cannot be read at all is a 400 Failure.
     */
    static String token(String contentType, String body, List<ValidationError> invalid) {
        if (body.isEmpty()) {
            invalid.add(ValidationError.missing(List.of("body"), null));
            return null;
        }
        if (!isJson(contentType)) {
            invalid.add(notAnObject(body));
            return null;
        }
        JsonNode node = switch (PythonJson.read(body)) {
            case PythonJson.Value v -> v.node();
            case PythonJson.Invalid e -> {
                invalid.add(new ValidationError("json_invalid", List.of("body", e.position()), "JSON decode error",
                        JsonNodeFactory.instance.objectNode(), Map.of("error", e.message())));
                yield null;
            }
            case PythonJson.Unreadable u -> throw Failure.invalidRequest(UNPARSEABLE);
        };
        if (node == null) return null;
        if (node.isNull()) {
            invalid.add(ValidationError.missing(List.of("body"), null));
            return null;
        }
        if (!node.isObject()) {
            invalid.add(notAnObject(node));
            return null;
        }
        JsonNode token = node.get("refresh_token");
        if (token == null) {
            invalid.add(ValidationError.missing(List.of("body", "refresh_token"), node));
            return null;
        }
        if (!token.isTextual()) {
            invalid.add(new ValidationError("string_type", List.of("body", "refresh_token"), "Input should be a valid string",
                    token, null));
            return null;
        }
        return token.asText();
    }

    /**
     * FastAPI parses a body as JSON only when its Content-Type, read as Python's email package
     * reads it, is application/json or application/*+json. Without one the body stays bytes
     * (FastAPI's {@code strict_content_type}, on by default since 0.132).
     */
    static boolean isJson(String contentType) {
        if (contentType == null || contentType.isEmpty()) return false;
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash < 0 || type.indexOf('/', slash + 1) >= 0) return false; // Python falls back to text/plain
        String subtype = type.substring(slash + 1);
        return type.startsWith("application/") && (subtype.equals("json") || subtype.endsWith("+json"));
    }

    private static ValidationError notAnObject(Object input) {
        return new ValidationError("model_attributes_type", List.of("body"),
                "Input should be a valid dictionary or object to extract fields from", input, null);
    }
}
