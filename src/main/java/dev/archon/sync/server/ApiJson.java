package dev.archon.sync.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The API's JSON: snake_case, ISO-8601 times, strict reading (unknown fields and type mix-ups are errors). */
final class ApiJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private ApiJson() {
    }

    /** Reads a request body into type; anything malformed is a 400 saying what is wrong. */
    static <T> T read(byte[] body, Class<T> type, boolean required) {
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            if (required) {
                throw ApiError.badRequest("a JSON object body is required");
            }
            body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiError.badRequest("the body must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiError.badRequest("unknown field '" + e.getPropertyName() + "'; known fields: "
                    + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()));
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("invalid JSON body: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("cannot read the body: " + e.getMessage());
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
