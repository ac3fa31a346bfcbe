package io.paasbroker.aws.testbed.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Reads a REST-JSON request's body into the AWS SDK's own request object, through the builder class the SDK generated
 * from AWS's model ({@code serializableBuilderClass()}): its setters carry the members' names, so what a fake reads is
 * what the SDK meant, nested options and lists included. Members outside the body (path labels, query) the fake sets
 * itself. The conformance gate has checked the body against the model before.
 */
public final class JsonRequestReader {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private JsonRequestReader() {}

    /** {@code builderClass}: the request's {@code serializableBuilderClass()}. */
    @SuppressWarnings("unchecked")
    public static <T extends SdkPojo> T read(byte[] body, Class<?> builderClass) {
        try {
            Object builder = body.length == 0 ? JSON.readValue("{}", builderClass) : JSON.readValue(body, builderClass);
            return (T) ((SdkBuilder<?, ?>) builder).build();
        } catch (JsonProcessingException e) {
            // the original message names what is wrong without quoting the body, which may hold a password
            throw new IllegalArgumentException("the body is not the request's JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("the body could not be read", e);
        }
    }
}
