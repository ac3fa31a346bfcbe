package io.paasbroker.provisioner.local.s3;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The stream a backup of a bucket's objects is, whatever serves the bucket (the broker's own S3 server, or S3): an
 * {@link ObjectStream} whose headers are S3's ({@code Content-Type}, ...; user metadata as
 * {@code x-amz-meta-<name>}).
 */
public final class S3ObjectStream {

    public static final String FORMAT = "s3-objects/1";

    private static final String USER_METADATA = "x-amz-meta-";

    /** Where a restore puts each object: its request (bucket, key, metadata, length) and exactly its bytes. */
    public interface ObjectSink {
        void put(PutObjectRequest object, InputStream body) throws IOException;
    }

    public static void start(DataOutputStream data) throws IOException {
        ObjectStream.start(data, FORMAT);
    }

    /** Writes one object, as read from its store: key, metadata, length, bytes. */
    public static void write(DataOutputStream data, String key, ResponseInputStream<GetObjectResponse> blob)
            throws IOException {
        GetObjectResponse object = blob.response();
        ObjectStream.write(data, new ObjectStream.Entry(key, headers(object), object.contentLength()), blob);
    }

    public static void end(DataOutputStream data) throws IOException {
        ObjectStream.end(data);
    }

    /**
     * Reads a whole stream into {@code bucket} through {@code sink}, leaving out the objects whose key {@code skip}
     * says to. An {@code EOFException} or {@code UTFDataFormatException} says the stream is not whole, or not of this
     * format.
     */
    public static void read(DataInputStream data, String bucket, Predicate<String> skip, ObjectSink sink)
            throws IOException {
        ObjectStream.read(data, FORMAT, (entry, body) -> {
            PutObjectRequest.Builder object =
                    PutObjectRequest.builder().bucket(bucket).key(entry.key());
            Map<String, String> userMetadata = new LinkedHashMap<>();
            for (Map.Entry<String, String> header : entry.headers().entrySet()) {
                apply(object, userMetadata, header.getKey(), header.getValue());
            }
            object.metadata(userMetadata).contentLength(entry.length());
            if (!skip.test(entry.key())) {
                sink.put(object.build(), body);
            }
        });
    }

    private static Map<String, String> headers(GetObjectResponse object) {
        Map<String, String> headers = new LinkedHashMap<>();
        BiConsumer<String, Object> put = (name, value) -> {
            if (value != null) {
                headers.put(name, value.toString());
            }
        };
        put.accept("Content-Type", object.contentType());
        put.accept("Content-Encoding", object.contentEncoding());
        put.accept("Content-Disposition", object.contentDisposition());
        put.accept("Content-Language", object.contentLanguage());
        put.accept("Cache-Control", object.cacheControl());
        put.accept("Expires", object.expires());
        object.metadata().forEach((name, value) -> headers.put(USER_METADATA + name, value));
        return headers;
    }

    /** A header this format does not know is a backup of another kind: refused rather than dropped. */
    private static void apply(
            PutObjectRequest.Builder object, Map<String, String> userMetadata, String name, String value)
            throws IOException {
        switch (name) {
            case "Content-Type" -> object.contentType(value);
            case "Content-Encoding" -> object.contentEncoding(value);
            case "Content-Disposition" -> object.contentDisposition(value);
            case "Content-Language" -> object.contentLanguage(value);
            case "Cache-Control" -> object.cacheControl(value);
            case "Expires" -> object.expires(Instant.parse(value));
            default -> {
                if (!name.startsWith(USER_METADATA)) {
                    throw new IOException("unknown metadata header '" + name + "'");
                }
                userMetadata.put(name.substring(USER_METADATA.length()), value);
            }
        }
    }
}
