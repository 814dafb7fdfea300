package dev.jeton.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jeton.model.Failure;

/**
 * The admin API's JSON: snake_case fields, absent rather than null, and strict input: an unknown
 * field is refused (a misspelt {@code disabled} must not be silently ignored) and so is trailing content.
 */
final class AdminJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private AdminJson() {
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** The body as {@code type}; invalid input is a 422 naming the field at fault. */
    static <T> T read(String body, Class<T> type) {
        if (body.isBlank()) throw Failure.invalidRequest("a JSON body is required");
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) throw Failure.invalidRequest("the body must be a JSON object");
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw Failure.invalidRequest(e.getPropertyName(), "unknown field '" + e.getPropertyName() + "'");
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().getLast().getFieldName();
            throw field == null ? Failure.invalidRequest("the body does not have the expected shape")
                    : Failure.invalidRequest(field, "field '" + field + "' has the wrong type");
        } catch (JsonProcessingException e) {
            throw Failure.invalidRequest("the body is not valid JSON");
        }
    }
}
