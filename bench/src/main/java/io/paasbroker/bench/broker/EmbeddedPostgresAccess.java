package io.paasbroker.bench.broker;

import java.nio.file.Path;

/** Where the broker's embedded PostgreSQL server listens and its admin password, as the broker wrote them down. */
public record EmbeddedPostgresAccess(int port, String adminPassword) {

    public static final String ADMIN = "postgres";
    public static final String STATE_DATABASE = "paasbroker";

    public static EmbeddedPostgresAccess of(Path brokerDataDirectory) {
        EmbeddedServerAccess access = EmbeddedServerAccess.of(brokerDataDirectory, "postgres");
        return new EmbeddedPostgresAccess(access.port(), access.adminPassword());
    }

    /** The pid of the running server (the postmaster), from its pid file. */
    public static long serverPid(Path brokerDataDirectory) {
        return EmbeddedServerAccess.pid(brokerDataDirectory.resolve("postgres").resolve("postmaster.pid"), "postgres");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }
}
