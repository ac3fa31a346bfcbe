package io.paasbroker.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A managed PostgreSQL server as any cloud sets one up, its administrator's role named by the cloud. */
class ManagedPostgresIT {

    @TempDir
    static Path work;

    private static TestBedCertificates certificates;
    private static ManagedPostgres server;

    @BeforeAll
    static void start() {
        certificates = TestBedCertificates.in(work.resolve("tls"));
        server = ManagedPostgres.start(
                work.resolve("server"), certificates, "cloud_admin", "owner", "owner-password", "app", true);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String url(String sslMode) {
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/app?sslmode=" + sslMode + "&sslrootcert="
                + certificates.caFile();
    }

    private static boolean answer(Statement s, String question) throws SQLException {
        try (ResultSet answer = s.executeQuery(question)) {
            answer.next();
            return answer.getBoolean(1);
        }
    }

    @Test
    void theAdministratorIsAMemberOfTheCloudsRoleAndMayMakeDatabasesButIsNoSuperuser() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("verify-full"), "owner", "owner-password");
                Statement s = c.createStatement()) {
            assertThat(answer(s, "SELECT pg_has_role('cloud_admin', 'MEMBER')")).isTrue();
            assertThat(answer(s, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
                    .isFalse();
            s.execute("CREATE DATABASE tenant");
        }
    }

    @Test
    void aLoginWithoutTlsIsRefusedWhileTlsIsRequired() {
        assertThatThrownBy(() -> DriverManager.getConnection(url("disable"), "owner", "owner-password")
                        .close())
                .hasMessageContaining("no encryption");
    }

    @Test
    void aRestoreToATimeBeforeTheLogsBeginIsRefused() {
        Instant beforeTheServer = Instant.now().minus(Duration.ofHours(1));

        assertThatThrownBy(() -> server.restoredAt(beforeTheServer, work.resolve("restored"), true))
                .isInstanceOf(RestoreOutsideWindowException.class)
                .hasMessageContaining("outside the restorable window");
    }
}
