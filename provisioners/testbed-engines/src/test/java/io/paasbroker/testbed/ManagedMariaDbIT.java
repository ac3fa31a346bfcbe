package io.paasbroker.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A managed MariaDB server set up as a cloud other than AWS names its superuser and its session-ending procedure. */
class ManagedMariaDbIT {

    private static final MariaDbAdministration CLOUD = new MariaDbAdministration(
            "cloudadmin", "SELECT, CREATE, CREATE USER, PROCESS", "cloud_kill", "CANNOT END A CLOUDADMIN SESSION");

    @TempDir
    Path work;

    @Test
    void theAdministratorEndsAnotherUsersSessionOnlyThroughTheCloudsProcedure() throws Exception {
        TestBedCertificates certificates = TestBedCertificates.in(work.resolve("tls"));
        try (ManagedMariaDb server = ManagedMariaDb.start(
                work.resolve("server"), certificates, CLOUD, "owner", "owner-password", null, false)) {
            String url = "jdbc:mariadb://127.0.0.1:" + server.port() + "/";
            try (Connection owner = DriverManager.getConnection(url, "owner", "owner-password");
                    Statement s = owner.createStatement()) {
                s.execute("CREATE USER tenant IDENTIFIED BY 'tenant-password'");
                try (Connection tenant = DriverManager.getConnection(url, "tenant", "tenant-password")) {
                    long session = sessionOf(tenant);

                    assertThatThrownBy(() -> s.execute("KILL CONNECTION " + session))
                            .hasMessageContaining("not owner of thread");
                    s.execute("CALL mysql.cloud_kill(" + session + ")");

                    assertThat(tenant.isValid(2)).isFalse();
                }
            }
        }
    }

    private static long sessionOf(Connection connection) throws Exception {
        try (Statement s = connection.createStatement();
                ResultSet id = s.executeQuery("SELECT CONNECTION_ID()")) {
            id.next();
            return id.getLong(1);
        }
    }
}
