package io.paasbroker.broker.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON columns of the state store: maps in, maps out. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static String write(Map<String, ?> value) {
        try {
            return MAPPER.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Map<String, Object> read(String json) {
        if (json == null || json.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON column holds no JSON object", e);
        }
    }

    public static Map<String, String> readStrings(String json) {
        Map<String, String> values = new LinkedHashMap<>();
        read(json).forEach((k, v) -> values.put(k, v == null ? null : String.valueOf(v)));
        return values;
    }

    /** Whether two maps hold the same JSON, whatever the order of their keys and the Java types of their numbers. */
    public static boolean same(Map<String, ?> a, Map<String, ?> b) {
        return MAPPER.valueToTree(a == null ? Map.of() : a).equals(MAPPER.valueToTree(b == null ? Map.of() : b));
    }
}
