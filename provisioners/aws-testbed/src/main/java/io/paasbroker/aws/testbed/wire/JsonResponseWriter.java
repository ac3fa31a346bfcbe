package io.paasbroker.aws.testbed.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Writes REST-JSON response bodies (and errors) as the services send them, from the AWS SDK's own response objects
 * and the marshalling metadata it generated from AWS's model: the body's members and their names, lists, maps,
 * timestamps as epoch seconds. What the SDK reads back is what the fake meant.
 */
public final class JsonResponseWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonResponseWriter() {}

    /** The JSON object of {@code response}'s members that travel in the body (not in headers or the status). */
    public static byte[] response(SdkPojo response) {
        return bytes(object(response));
    }

    /** An error's body; the fake names the error in the {@code x-amzn-ErrorType} header, which the SDK maps. */
    public static byte[] error(String message) {
        return bytes(JSON.createObjectNode().put("message", message));
    }

    private static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that cannot be written", e);
        }
    }

    private static ObjectNode object(SdkPojo pojo) {
        ObjectNode object = JSON.createObjectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            // a list or map never set is the SDK's empty placeholder, not an empty array or object
            if (field.location() == MarshallLocation.PAYLOAD
                    && value != null
                    && !(value instanceof SdkAutoConstructList)
                    && !(value instanceof SdkAutoConstructMap)) {
                object.set(field.locationName(), value(field, value));
            }
        }
        return object;
    }

    private static JsonNode value(SdkField<?> field, Object value) {
        if (value instanceof SdkPojo pojo) {
            return object(pojo);
        }
        if (value instanceof List<?> items) {
            SdkField<?> item = field.getTrait(ListTrait.class).memberFieldInfo();
            ArrayNode array = JSON.createArrayNode();
            items.forEach(element -> array.add(value(item, element)));
            return array;
        }
        if (value instanceof Map<?, ?> entries) {
            SdkField<?> entry = field.getTrait(MapTrait.class).valueFieldInfo();
            ObjectNode object = JSON.createObjectNode();
            entries.forEach((key, element) -> object.set(key.toString(), value(entry, element)));
            return object;
        }
        if (value instanceof Instant instant) {
            return epochSeconds(instant);
        }
        if (value instanceof SdkBytes bytes) {
            return TextNode.valueOf(Base64.getEncoder().encodeToString(bytes.asByteArray()));
        }
        if (value instanceof Boolean || value instanceof Number) {
            return JSON.valueToTree(value);
        }
        return TextNode.valueOf(value.toString()); // strings, enums among them
    }

    /** Whole seconds, or seconds with their millis as a fraction: REST-JSON's default timestamp format. */
    private static JsonNode epochSeconds(Instant instant) {
        long millis = instant.toEpochMilli();
        return millis % 1000 == 0
                ? LongNode.valueOf(millis / 1000)
                : DecimalNode.valueOf(BigDecimal.valueOf(millis, 3));
    }
}
