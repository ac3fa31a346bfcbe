package io.paasbroker.broker.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupCipherTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final BackupCipher cipher = new BackupCipher("k1", key());

    @ParameterizedTest
    @ValueSource(
            ints = {
                0,
                1,
                BackupCipher.CHUNK - 1,
                BackupCipher.CHUNK,
                BackupCipher.CHUNK + 1,
                3 * BackupCipher.CHUNK + 17
            })
    void whatIsEncryptedDecryptsToTheSameBytes(int size) throws IOException {
        byte[] plain = random(size);

        byte[] sealed = encrypt(plain);

        assertThat(decrypt(sealed)).isEqualTo(plain);
        assertThat(sealed.length).isGreaterThan(size);
    }

    @Test
    void theSameBackupEncryptsDifferentlyEachTime() throws IOException {
        byte[] plain = random(1000);
        assertThat(encrypt(plain)).isNotEqualTo(encrypt(plain));
    }

    @Test
    void aFlippedBitAnywhereIsDetected() throws IOException {
        byte[] sealed = encrypt(random(2 * BackupCipher.CHUNK + 5));
        for (int position : new int[] {20, sealed.length / 2, sealed.length - 1}) {
            byte[] damaged = sealed.clone();
            damaged[position] ^= 1;
            assertThatThrownBy(() -> decrypt(damaged)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aBackupCutShortIsDetectedEvenAtAChunkBoundary() throws IOException {
        byte[] sealed = encrypt(random(2 * BackupCipher.CHUNK));
        // two chunks, the second one last: cutting it off leaves a stream of whole, valid chunks
        int withoutTheLastChunk = sealed.length - (4 + BackupCipher.CHUNK + 16);
        for (int length : new int[] {sealed.length - 1, sealed.length - 21, 30, withoutTheLastChunk}) {
            byte[] cut = Arrays.copyOf(sealed, length);
            assertThatThrownBy(() -> decrypt(cut)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void anotherKeyCannotDecrypt() throws IOException {
        byte[] sealed = encrypt(random(100));
        assertThatThrownBy(() -> new BackupCipher("k1", key())
                        .decrypting(new ByteArrayInputStream(sealed))
                        .readAllBytes())
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new BackupCipher("k2", key()).decrypting(new ByteArrayInputStream(sealed)))
                .hasMessageContaining("k1");
    }

    private byte[] encrypt(byte[] plain) throws IOException {
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        try (OutputStream out = cipher.encrypting(sealed)) {
            out.write(plain);
        }
        return sealed.toByteArray();
    }

    private byte[] decrypt(byte[] sealed) throws IOException {
        try (InputStream in = cipher.decrypting(new ByteArrayInputStream(sealed))) {
            return in.readAllBytes();
        }
    }

    private static byte[] key() {
        return random(32);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
