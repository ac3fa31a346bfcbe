package io.paasbroker.broker.backup;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts backups as a stream of AES-256-GCM chunks, so that neither side ever holds a whole backup in memory
 * (the JDK's GCM decryption would buffer all of it before checking the tag). Each chunk's nonce is a random prefix of
 * the stream, the chunk's number and a flag marking the last chunk, and every chunk authenticates the stream's
 * header: chunks cannot be reordered, dropped, moved to another backup, and a stream cut short is detected because
 * its last chunk is missing.
 *
 * <p>Layout: {@code "PBBK" 0x01 keyIdLength keyId prefix(7)}, then chunks {@code length(4) ciphertext(length)}.
 */
public final class BackupCipher {

    static final int CHUNK = 64 * 1024;
    private static final byte[] MAGIC = "PBBK".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    private static final int PREFIX = 7;
    private static final int TAG_BITS = 128;
    private static final int TAG_BYTES = TAG_BITS / 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyId;
    private final SecretKey key;

    public BackupCipher(String keyId, byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a backup key is 32 bytes (AES-256)");
        }
        this.keyId = keyId;
        this.key = new SecretKeySpec(key, "AES");
    }

    public String keyId() {
        return keyId;
    }

    /** A stream that encrypts what is written to it into {@code sink}; closing it writes the last chunk. */
    public OutputStream encrypting(OutputStream sink) throws IOException {
        byte[] prefix = new byte[PREFIX];
        RANDOM.nextBytes(prefix);
        byte[] header = header(prefix);
        sink.write(header);
        return new Encrypting(sink, header, prefix);
    }

    /** A stream of what {@code source} decrypts to; it throws {@link IOException} on any tampering or truncation. */
    public InputStream decrypting(InputStream source) throws IOException {
        DataInputStream in = new DataInputStream(source);
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC) || in.read() != VERSION) {
            throw new IOException("not a paasbroker backup (or a version this broker cannot read)");
        }
        byte[] storedKeyId = in.readNBytes(in.readUnsignedByte());
        String found = new String(storedKeyId, StandardCharsets.UTF_8);
        if (!found.equals(keyId)) {
            throw new IOException("the backup was encrypted with key '" + found + "', not with '" + keyId + "'");
        }
        byte[] prefix = in.readNBytes(PREFIX);
        if (prefix.length != PREFIX) {
            throw new IOException("the backup is cut short in its header");
        }
        return new Decrypting(in, header(prefix), prefix);
    }

    private byte[] header(byte[] prefix) {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(MAGIC);
        header.write(VERSION);
        header.write(id.length);
        header.writeBytes(id);
        header.writeBytes(prefix);
        return header.toByteArray();
    }

    private Cipher cipher(int mode, byte[] prefix, long chunk, boolean last, byte[] header) throws IOException {
        byte[] nonce = ByteBuffer.allocate(12)
                .put(prefix)
                .putInt((int) chunk)
                .put((byte) (last ? 1 : 0))
                .array();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IOException("AES-GCM is not available", e);
        }
    }

    private final class Encrypting extends OutputStream {

        private final DataOutputStream out;
        private final byte[] header;
        private final byte[] prefix;
        private final byte[] buffer = new byte[CHUNK];
        private int buffered;
        private long chunk;
        private boolean closed;

        Encrypting(OutputStream sink, byte[] header, byte[] prefix) {
            this.out = new DataOutputStream(sink);
            this.header = header;
            this.prefix = prefix;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                if (buffered == CHUNK) {
                    seal(false);
                }
                int n = Math.min(length, CHUNK - buffered);
                System.arraycopy(bytes, offset, buffer, buffered, n);
                buffered += n;
                offset += n;
                length -= n;
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            seal(true);
            out.close();
        }

        private void seal(boolean last) throws IOException {
            try {
                byte[] sealed = cipher(Cipher.ENCRYPT_MODE, prefix, chunk++, last, header)
                        .doFinal(buffer, 0, buffered);
                out.writeInt(sealed.length);
                out.write(sealed);
                buffered = 0;
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot encrypt a backup chunk", e);
            }
        }
    }

    private final class Decrypting extends InputStream {

        private final DataInputStream in;
        private final byte[] header;
        private final byte[] prefix;
        private byte[] plain = new byte[0];
        private int position;
        private long chunk;
        private boolean ended;

        Decrypting(DataInputStream in, byte[] header, byte[] prefix) {
            this.in = in;
            this.header = header;
            this.prefix = prefix;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            while (position == plain.length) {
                if (ended) {
                    return -1;
                }
                open();
            }
            int n = Math.min(length, plain.length - position);
            System.arraycopy(plain, position, bytes, offset, n);
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        /** Reads and checks the next chunk; whether it is the last shows in which nonce opens it. */
        private void open() throws IOException {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                throw new IOException("the backup is cut short: its last chunk is missing");
            }
            if (length < TAG_BYTES || length > CHUNK + TAG_BYTES) {
                throw new IOException("the backup is damaged: a chunk of " + length + " bytes");
            }
            byte[] sealed = in.readNBytes(length);
            if (sealed.length != length) {
                throw new IOException("the backup is cut short inside a chunk");
            }
            long number = chunk++;
            try {
                plain = cipher(Cipher.DECRYPT_MODE, prefix, number, false, header)
                        .doFinal(sealed);
            } catch (GeneralSecurityException notInner) {
                try {
                    plain = cipher(Cipher.DECRYPT_MODE, prefix, number, true, header)
                            .doFinal(sealed);
                    ended = true;
                    if (in.read() != -1) {
                        throw new IOException("the backup is damaged: data after its last chunk");
                    }
                } catch (GeneralSecurityException e) {
                    throw new IOException(
                            "the backup is damaged or was not encrypted with this key (chunk " + number + ")");
                }
            }
            position = 0;
        }
    }
}
