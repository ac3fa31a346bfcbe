package io.paasbroker.provisioner.local.s3;

import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.local.common.ServerFailures;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The stream a backup of a bucket's objects is, whatever serves the bucket (the broker's own S3 server, or S3): the
 * format's name ({@link DataOutputStream#writeUTF}), then per object {@code true}, its key, the number of its metadata
 * headers and each header's name and value ({@code Content-Type}, ...; user metadata as {@code x-amz-meta-<name>}), its
 * length (long) and its bytes; {@code false} ends it, so a stream cut short is told from a complete one.
 */
public final class S3ObjectStream {

    public static final String FORMAT = "s3-objects/1";

    private static final String USER_METADATA = "x-amz-meta-";

    /** Where a restore puts each object: its request (bucket, key, metadata, length) and exactly its bytes. */
    public interface ObjectSink {
        void put(PutObjectRequest object, InputStream body) throws IOException;
    }

    /** A piece of a backup or a restore, whose reads and writes of the stream may fail. */
    public interface Step {
        void run() throws IOException;
    }

    private S3ObjectStream() {}

    /**
     * Runs {@code step} of a backup or restore ({@code doing}: {@code backing up}, {@code restoring}); a stream cut
     * short or of another format fails it saying so, another IOException with its reason.
     */
    public static void run(String doing, Step step) {
        try {
            step.run();
        } catch (EOFException | UTFDataFormatException e) {
            throw new ProvisioningFailedException(
                    doing + " the instance's objects failed: the backup is not whole or not of this format", e);
        } catch (IOException e) {
            throw new ProvisioningFailedException(
                    doing + " the instance's objects failed: " + ServerFailures.rootReason(e), e);
        }
    }

    public static void start(DataOutputStream data) throws IOException {
        data.writeUTF(FORMAT);
    }

    /** Writes one object, as read from its store: key, metadata, length, bytes. */
    public static void write(DataOutputStream data, String key, ResponseInputStream<GetObjectResponse> blob)
            throws IOException {
        GetObjectResponse object = blob.response();
        Map<String, String> headers = headers(object);
        data.writeBoolean(true);
        data.writeUTF(key);
        data.writeInt(headers.size());
        for (Map.Entry<String, String> header : headers.entrySet()) {
            data.writeUTF(header.getKey());
            data.writeUTF(header.getValue());
        }
        data.writeLong(object.contentLength());
        long copied = blob.transferTo(data);
        if (copied != object.contentLength()) {
            throw new IOException("object '" + key + "' changed while it was read");
        }
    }

    public static void end(DataOutputStream data) throws IOException {
        data.writeBoolean(false);
        data.flush();
    }

    /**
     * Reads a whole stream into {@code bucket} through {@code sink}, leaving out the objects whose key {@code skip}
     * says to. An {@link EOFException} or {@code UTFDataFormatException} says the stream is not whole, or not of this
     * format.
     */
    public static void read(DataInputStream data, String bucket, Predicate<String> skip, ObjectSink sink)
            throws IOException {
        if (!FORMAT.equals(data.readUTF())) {
            throw new IOException("the backup does not start as a " + FORMAT + " backup");
        }
        while (data.readBoolean()) {
            PutObjectRequest.Builder object =
                    PutObjectRequest.builder().bucket(bucket).key(data.readUTF());
            Map<String, String> userMetadata = new LinkedHashMap<>();
            for (int headers = data.readInt(); headers > 0; headers--) {
                apply(object, userMetadata, data.readUTF(), data.readUTF());
            }
            long length = data.readLong();
            if (length < 0) {
                throw new EOFException("an object of length " + length);
            }
            object.metadata(userMetadata).contentLength(length);
            if (skip.test(object.build().key())) {
                data.skipNBytes(length);
            } else {
                sink.put(object.build(), new ExactLength(data, length));
            }
        }
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

    /** Exactly {@code length} bytes of a stream that goes on after them; it ending sooner is an EOFException. */
    private static final class ExactLength extends InputStream {

        private final InputStream in;
        private long remaining;

        ExactLength(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int count) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int read = in.read(bytes, offset, (int) Math.min(count, remaining));
            if (read < 0) {
                throw new EOFException(remaining + " bytes of an object are missing");
            }
            remaining -= read;
            return read;
        }
    }
}
