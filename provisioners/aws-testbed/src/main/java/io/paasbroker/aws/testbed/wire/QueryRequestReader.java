package io.paasbroker.aws.testbed.wire;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Reads the form parameters of an AWS Query request into the AWS SDK's own request object, by the marshalling
 * metadata the SDK generated from AWS's model (each field's location name, list and map traits): a fake of an AWS
 * service cannot read a request differently from how the SDK wrote it. What the parameters hold beyond the model is
 * the conformance gate's to refuse; here it is ignored.
 */
public final class QueryRequestReader {

    private QueryRequestReader() {}

    /** The parameters of a Query request's body ({@code application/x-www-form-urlencoded}), in their order. */
    public static Map<String, String> parameters(String formBody) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : formBody.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    /** The request {@code builder} filled from {@code parameters} and built. */
    @SuppressWarnings("unchecked")
    public static <T> T read(Map<String, String> parameters, SdkPojo builder) {
        fill(parameters, "", builder);
        return (T) ((SdkBuilder<?, ?>) builder).build();
    }

    private static void fill(Map<String, String> parameters, String prefix, SdkPojo builder) {
        for (SdkField<?> field : builder.sdkFields()) {
            Object value = value(parameters, prefix + field.locationName(), field);
            if (value != null) {
                field.set(builder, value);
            }
        }
    }

    private static Object value(Map<String, String> parameters, String name, SdkField<?> field) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO) {
            if (!hasPrefix(parameters, name + ".")) {
                return null;
            }
            SdkPojo nested = field.constructor().get();
            fill(parameters, name + ".", nested);
            return ((SdkBuilder<?, ?>) nested).build();
        }
        if (type == MarshallingType.LIST) {
            return list(parameters, name, field.getTrait(ListTrait.class));
        }
        if (type == MarshallingType.MAP) {
            return map(parameters, name, field.getTrait(MapTrait.class));
        }
        String text = parameters.get(name);
        return text == null ? null : scalar(type, text);
    }

    private static List<Object> list(Map<String, String> parameters, String name, ListTrait trait) {
        if ("".equals(parameters.get(name))) {
            return List.of(); // how the Query protocol writes an empty list
        }
        String elements = trait.isFlattened() ? name + "." : name + "." + memberName(trait) + ".";
        List<Object> values = new ArrayList<>();
        for (int index = 1; ; index++) {
            Object element = value(parameters, elements + index, trait.memberFieldInfo());
            if (element == null) {
                return values.isEmpty() && !hasPrefix(parameters, name + ".") ? null : values;
            }
            values.add(element);
        }
    }

    private static Map<String, Object> map(Map<String, String> parameters, String name, MapTrait trait) {
        String entries = trait.isFlattened() ? name + "." : name + ".entry.";
        Map<String, Object> values = new LinkedHashMap<>();
        for (int index = 1; parameters.containsKey(entries + index + "." + trait.keyLocationName()); index++) {
            values.put(
                    parameters.get(entries + index + "." + trait.keyLocationName()),
                    value(parameters, entries + index + "." + trait.valueLocationName(), trait.valueFieldInfo()));
        }
        return values.isEmpty() ? null : values;
    }

    static String memberName(ListTrait trait) {
        String name = trait.memberLocationName();
        return name == null ? "member" : name;
    }

    private static Object scalar(MarshallingType<?> type, String text) {
        if (type == MarshallingType.STRING) {
            return text;
        }
        if (type == MarshallingType.INTEGER) {
            return Integer.valueOf(text);
        }
        if (type == MarshallingType.LONG) {
            return Long.valueOf(text);
        }
        if (type == MarshallingType.BOOLEAN) {
            return Boolean.valueOf(text);
        }
        if (type == MarshallingType.DOUBLE) {
            return Double.valueOf(text);
        }
        if (type == MarshallingType.FLOAT) {
            return Float.valueOf(text);
        }
        if (type == MarshallingType.BIG_DECIMAL) {
            return new BigDecimal(text);
        }
        if (type == MarshallingType.INSTANT) {
            return Instant.parse(text);
        }
        if (type == MarshallingType.SDK_BYTES) {
            return SdkBytes.fromByteArray(Base64.getDecoder().decode(text));
        }
        throw new IllegalArgumentException("no Query reading of " + type);
    }

    private static boolean hasPrefix(Map<String, String> parameters, String prefix) {
        return parameters.keySet().stream().anyMatch(key -> key.startsWith(prefix));
    }
}
