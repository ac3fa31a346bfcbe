package io.paasbroker.provisioner.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyDirectoryTest {

    @Test
    void aNewDirectoryIsTheOwnersAlone(@TempDir Path parent) throws Exception {
        Path created = OwnerOnlyDirectory.create(parent.resolve("a").resolve("b"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created)))
                .isEqualTo("rwx------");
    }

    @Test
    void theEmbeddedDataDirectoryMadeOpenBeforeIsClosedToOthersAtStart(@TempDir Path parent) throws Exception {
        Path data = Files.createDirectory(parent.resolve("paasbroker-data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        new DataDirectory(data);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                .isEqualTo("rwx------");
    }
}
