package io.paasbroker.azure.testbed.fake;

import io.paasbroker.testbed.ManagedDatabaseServer;
import io.paasbroker.testbed.ManagedMariaDb;
import io.paasbroker.testbed.MariaDbAdministration;
import io.paasbroker.testbed.TestBedCertificates;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Azure Database for MySQL flexible servers, with a real MariaDB standing in for MySQL behind each: the administrator
 * has Azure's documented privileges and no SUPER or CONNECTION ADMIN (it ends others' sessions through Azure's
 * {@code mysql.az_kill}); {@code require_secure_transport} requires TLS of every login.
 */
final class FlexibleMysql implements FlexibleServerEngine {

    /** How Azure sets up a server: its own superuser, the administrator's grants, its procedure to end sessions. */
    private static final MariaDbAdministration AZURE = new MariaDbAdministration(
            "azure_superuser",
            "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, REFERENCES, INDEX, ALTER, SHOW DATABASES,"
                    + " CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE, BINLOG MONITOR, CREATE VIEW,"
                    + " SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT, TRIGGER",
            "az_kill",
            "Cannot kill the session of azure_superuser");

    private static final Set<String> RESERVED_LOGINS =
            Set.of("azure_superuser", "admin", "administrator", "root", "guest", "public", "mysql");

    @Override
    public String type() {
        return "Microsoft.DBforMySQL/flexibleServers";
    }

    @Override
    public int port() {
        return 3306;
    }

    @Override
    public boolean reservedLogin(String login) {
        return RESERVED_LOGINS.contains(login) || login.startsWith("mysql.");
    }

    @Override
    public boolean offersStorage(int gb) {
        return gb >= 20 && gb <= 16384;
    }

    @Override
    public String createMode() {
        return "Default";
    }

    @Override
    public String restorePointProperty() {
        return "restorePointInTime";
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("require_secure_transport", "ON");
    }

    @Override
    public void checkParameter(String name, String value) {
        if (!Set.of("ON", "OFF").contains(value.toUpperCase())) {
            throw ArmError.invalid(name + " is ON or OFF, not '" + value + "'");
        }
    }

    @Override
    public ManagedDatabaseServer start(
            Path directory, TestBedCertificates certificates, String login, String password) {
        return ManagedMariaDb.start(directory, certificates, AZURE, login, password, null, true);
    }

    @Override
    public void apply(ManagedDatabaseServer server, String name, String value) {
        server.requireTls(value.equalsIgnoreCase("ON"));
    }
}
