package io.paasbroker.provisioner.local.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.provisioner.ProvisioningFailedException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ClientCommandTest {

    @Test
    void aProgramThatOutrunsItsTimeoutIsKilledAndTheRunFails(@TempDir Path directory) throws Exception {
        Path pidFile = directory.resolve("pid");
        ClientCommand stuck =
                command(List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 600"), Duration.ofMillis(500));

        assertThatThrownBy(() -> stuck.streamOutputTo(new ByteArrayOutputStream()))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessage("dumping the instance's database on test server failed: sh ran longer than 500 ms and"
                        + " was stopped");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    void aProgramThatEndsInTimeStreamsItsOutput() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        command(List.of("echo", "dumped"), Duration.ofSeconds(20)).streamOutputTo(out);

        assertThat(out.toString()).isEqualTo("dumped\n");
    }

    private static ClientCommand command(List<String> command, Duration timeout) {
        return new ClientCommand(
                "dumping the instance's database",
                "test server",
                command,
                Map.of(),
                List.of(),
                stderr -> false,
                timeout);
    }
}
