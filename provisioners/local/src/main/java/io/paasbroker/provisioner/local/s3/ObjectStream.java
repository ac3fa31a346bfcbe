package io.paasbroker.provisioner.local.s3;

import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.local.common.ServerFailures;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stream a backup of an object store's container is, whatever the store (S3 buckets, Blob Storage containers):
 * the format's name ({@link DataOutputStream#writeUTF}), then per object {@code true}, its key, the number of its
 * headers and each header's name and value (the format says which), its length (long) and its bytes; {@code false}
 * ends it, so a stream cut short is told from a complete one. Objects are copied as they are read, never whole in
 * memory.
 */
public final class ObjectStream {

    /** One object of the stream, before its bytes. */
    public record Entry(String key, Map<String, String> headers, long length) {

        public Entry {
            headers = new LinkedHashMap<>(headers);
        }
    }

    /** Takes each object of a stream being read: its entry and exactly its bytes (what it leaves unread is skipped). */
    public interface EntrySink {
        void accept(Entry entry, InputStream body) throws IOException;
    }

    /** A piece of a backup or a restore, whose reads and writes of the stream may fail. */
    public interface Step {
        void run() throws IOException;
    }

    private ObjectStream() {}

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

    public static void start(DataOutputStream data, String format) throws IOException {
        data.writeUTF(format);
    }

    /** Writes one object: its entry, then exactly its length of {@code body}, which is read to its end. */
    public static void write(DataOutputStream data, Entry entry, InputStream body) throws IOException {
        data.writeBoolean(true);
        data.writeUTF(entry.key());
        data.writeInt(entry.headers().size());
        for (Map.Entry<String, String> header : entry.headers().entrySet()) {
            data.writeUTF(header.getKey());
            data.writeUTF(header.getValue());
        }
        data.writeLong(entry.length());
        long copied = body.transferTo(data);
        if (copied != entry.length()) {
            throw new IOException("object '" + entry.key() + "' changed while it was read");
        }
    }

    public static void end(DataOutputStream data) throws IOException {
        data.writeBoolean(false);
        data.flush();
    }

    /**
     * Reads a whole stream of {@code format} into {@code sink}. An {@link EOFException} or
     * {@code UTFDataFormatException} says the stream is not whole, or not of this format, also when the stream ends
     * inside an object the sink was writing, whatever the sink made of that.
     */
    public static void read(DataInputStream data, String format, EntrySink sink) throws IOException {
        if (!format.equals(data.readUTF())) {
            throw new IOException("the backup does not start as a " + format + " backup");
        }
        while (data.readBoolean()) {
            String key = data.readUTF();
            Map<String, String> headers = new LinkedHashMap<>();
            for (int count = data.readInt(); count > 0; count--) {
                headers.put(data.readUTF(), data.readUTF());
            }
            long length = data.readLong();
            if (length < 0) {
                throw new EOFException("an object of length " + length);
            }
            ExactLength body = new ExactLength(data, length);
            try {
                sink.accept(new Entry(key, headers, length), body);
            } catch (IOException | RuntimeException e) {
                if (body.endedShort) {
                    // the store's client reports a body that ended early in its own words: it is the backup's fault
                    EOFException cut = new EOFException("the backup ends inside object '" + key + "'");
                    cut.initCause(e);
                    throw cut;
                }
                throw e;
            }
            body.skipRest();
        }
    }

    /** Exactly {@code length} bytes of a stream that goes on after them; it ending sooner is an EOFException. */
    private static final class ExactLength extends InputStream {

        private final InputStream in;
        private long remaining;
        private boolean endedShort;

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
                endedShort = true;
                throw new EOFException(remaining + " bytes of an object are missing");
            }
            remaining -= read;
            return read;
        }

        void skipRest() throws IOException {
            in.skipNBytes(remaining);
            remaining = 0;
        }
    }
}
