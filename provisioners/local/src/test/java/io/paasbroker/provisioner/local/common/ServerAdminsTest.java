package io.paasbroker.provisioner.local.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.provisioner.credentials.ServerTls;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerAdminsTest {

    /** An admin that only records whether it was closed. */
    private static final class RecordingAdmin implements ServerAdmin {
        boolean closed;

        @Override
        public boolean acceptsPassword(String password) {
            return false;
        }

        @Override
        public void changePassword(String newPassword) {}

        @Override
        public void usePassword(String password) {}

        @Override
        public ServerTls tls() {
            return ServerTls.OFF;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void twoServersWithOneNameAreRefusedAndWhatWasOpenedIsClosed() {
        List<RecordingAdmin> opened = new ArrayList<>();

        assertThatThrownBy(() -> ServerAdmins.uniquelyNamed(
                        "PostgreSQL",
                        List.of("ops", "other", "ops"),
                        n -> n,
                        n -> {
                            RecordingAdmin admin = new RecordingAdmin();
                            opened.add(admin);
                            return admin;
                        },
                        plan -> "ops"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two PostgreSQL servers are named 'ops'");
        assertThat(opened)
                .hasSize(2)
                .allSatisfy(admin -> assertThat(admin.closed).isTrue());
    }
}
