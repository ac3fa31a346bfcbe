package io.paasbroker.provisioner.local.s3;

import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.local.common.ServerFailures;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The objects of an instance's bucket with their metadata, read from its namespace's store, and written into another
 * instance's bucket, replacing objects of the same key.
 *
 * <p>The stream: the format's name ({@link DataOutputStream#writeUTF}), then per object {@code true}, its key, the
 * number of its metadata headers and each header's name and value ({@code Content-Type}, ...; user metadata as
 * {@code x-amz-meta-<name>}), its length (long) and its bytes; {@code false} ends it, so a stream cut short is told
 * from a complete one.
 */
final class S3Backups implements InstanceBackups {

    static final String FORMAT = "s3-objects/1";

    private static final String USER_METADATA = "x-amz-meta-";

    private final S3Namespaces namespaces;

    S3Backups(S3Namespaces namespaces) {
        this.namespaces = namespaces;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /** An object deleted between listing and reading is left out, as it would be a moment later. */
    @Override
    public void backup(InstanceRequest instance, OutputStream out) {
        String bucket = S3Names.bucket(instance.instanceId());
        BlobStore store = store(instance, "backing up");
        DataOutputStream data = new DataOutputStream(out);
        guarded("backing up", () -> {
            data.writeUTF(FORMAT);
            Iterable<String> keys = BucketObjects.keys(store, bucket)::iterator;
            for (String key : keys) {
                writeObject(store, bucket, key, data);
            }
            data.writeBoolean(false);
            data.flush();
        });
    }

    /**
     * Into the new instance's empty bucket; a restore that fails part-way removes what it wrote, so the instance can
     * be deleted whatever its plan says of buckets that hold objects.
     */
    @Override
    public void restore(InstanceRequest instance, InputStream in) {
        String bucket = S3Names.bucket(instance.instanceId());
        BlobStore store = store(instance, "restoring");
        try {
            restoreInto(store, bucket, new DataInputStream(in));
        } catch (RuntimeException e) {
            try {
                guarded("removing what the failed restore wrote", () -> empty(store, bucket));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static void empty(BlobStore store, String bucket) {
        BucketObjects.keys(store, bucket).forEach(key -> store.removeBlob(bucket, key));
    }

    private static void restoreInto(BlobStore store, String bucket, DataInputStream data) {
        guarded("restoring", () -> {
            if (!FORMAT.equals(data.readUTF())) {
                throw new ProvisioningFailedException("restoring the instance's objects failed: the backup does not"
                        + " start as a " + FORMAT + " backup");
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
                if (BucketObjects.isUnfinishedUpload(object.build().key())) {
                    data.skipNBytes(length); // written by a broker that still backed these up
                } else {
                    store.putBlob(object.build(), new ExactLength(data, length));
                }
            }
        });
    }

    private static void writeObject(BlobStore store, String bucket, String key, DataOutputStream data)
            throws IOException {
        try (ResponseInputStream<GetObjectResponse> blob = store.getBlob(bucket, key)) {
            if (blob == null) {
                return;
            }
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
        } catch (NoSuchKeyException deletedSinceListed) {
            // left out
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

    private BlobStore store(InstanceRequest instance, String doing) {
        String namespace = S3Names.namespace(instance.instanceId());
        String bucket = S3Names.bucket(instance.instanceId());
        if (!namespaces.exists(namespace) || !namespaces.store(namespace).containerExists(bucket)) {
            throw new ProvisioningFailedException(
                    doing + " the instance's objects failed: bucket " + bucket + " does not exist");
        }
        return namespaces.store(namespace);
    }

    private interface Work {
        void run() throws IOException;
    }

    /** The store is local: whatever fails, trying again does not help. */
    private static void guarded(String doing, Work work) {
        try {
            work.run();
        } catch (ProvisionerException e) {
            throw e;
        } catch (EOFException | UTFDataFormatException e) {
            throw new ProvisioningFailedException(
                    doing + " the instance's objects failed: the backup is not whole or not of this format", e);
        } catch (IOException | RuntimeException e) {
            throw new ProvisioningFailedException(
                    doing + " the instance's objects failed: " + ServerFailures.rootReason(e), e);
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
