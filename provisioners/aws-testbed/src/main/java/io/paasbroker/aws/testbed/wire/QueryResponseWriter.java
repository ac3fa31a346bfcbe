package io.paasbroker.aws.testbed.wire;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Writes AWS Query responses (and errors) as the services send them, from the AWS SDK's own response objects and the
 * marshalling metadata it generated from AWS's model: element names, list members, maps, timestamps. What the SDK
 * reads back is what the fake meant.
 */
public final class QueryResponseWriter {

    private QueryResponseWriter() {}

    /**
     * {@code <ActionResponse xmlns=...><ActionResult>...</ActionResult><ResponseMetadata>...}, the result's elements
     * written from {@code result}'s fields.
     */
    public static byte[] response(String action, String xmlNamespace, SdkPojo result) {
        StringBuilder xml = new StringBuilder();
        xml.append("<")
                .append(action)
                .append("Response xmlns=\"")
                .append(xmlNamespace)
                .append("\">");
        xml.append("<").append(action).append("Result>");
        fields(xml, result);
        xml.append("</").append(action).append("Result>");
        xml.append("<ResponseMetadata><RequestId>").append(UUID.randomUUID()).append("</RequestId></ResponseMetadata>");
        xml.append("</").append(action).append("Response>");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An error as the Query services answer it; the SDK maps {@code code} to the model's exception. */
    public static byte[] error(String code, String message, boolean senderFault) {
        StringBuilder xml = new StringBuilder("<ErrorResponse><Error><Type>")
                .append(senderFault ? "Sender" : "Receiver")
                .append("</Type><Code>");
        escaped(xml, code);
        xml.append("</Code><Message>");
        escaped(xml, message);
        xml.append("</Message></Error><RequestId>").append(UUID.randomUUID()).append("</RequestId></ErrorResponse>");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void fields(StringBuilder xml, SdkPojo pojo) {
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            // a list or map never set is the SDK's empty placeholder, not an empty element
            if (value != null && !(value instanceof SdkAutoConstructList) && !(value instanceof SdkAutoConstructMap)) {
                element(xml, field.unmarshallLocationName(), field, value);
            }
        }
    }

    private static void element(StringBuilder xml, String name, SdkField<?> field, Object value) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.LIST) {
            ListTrait trait = field.getTrait(ListTrait.class);
            List<?> values = (List<?>) value;
            if (trait.isFlattened()) {
                values.forEach(item -> element(xml, name, trait.memberFieldInfo(), item));
                return;
            }
            open(xml, name);
            String member = QueryRequestReader.memberName(trait);
            values.forEach(item -> element(xml, member, trait.memberFieldInfo(), item));
            close(xml, name);
            return;
        }
        if (type == MarshallingType.MAP) {
            MapTrait trait = field.getTrait(MapTrait.class);
            if (!trait.isFlattened()) {
                open(xml, name);
            }
            ((Map<?, ?>) value).forEach((key, item) -> {
                open(xml, trait.isFlattened() ? name : "entry");
                open(xml, trait.keyLocationName());
                escaped(xml, key.toString());
                close(xml, trait.keyLocationName());
                element(xml, trait.valueLocationName(), trait.valueFieldInfo(), item);
                close(xml, trait.isFlattened() ? name : "entry");
            });
            if (!trait.isFlattened()) {
                close(xml, name);
            }
            return;
        }
        open(xml, name);
        if (type == MarshallingType.SDK_POJO) {
            fields(xml, (SdkPojo) value);
        } else if (value instanceof Instant instant) {
            xml.append(instant);
        } else if (value instanceof SdkBytes bytes) {
            xml.append(Base64.getEncoder().encodeToString(bytes.asByteArray()));
        } else {
            escaped(xml, value.toString());
        }
        close(xml, name);
    }

    private static void open(StringBuilder xml, String name) {
        xml.append('<').append(name).append('>');
    }

    private static void close(StringBuilder xml, String name) {
        xml.append("</").append(name).append('>');
    }

    private static void escaped(StringBuilder xml, String text) {
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '&' -> xml.append("&amp;");
                case '"' -> xml.append("&quot;");
                default -> xml.append(c);
            }
        }
    }
}
