package io.paasbroker.bench.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Where the broker's embedded PostgreSQL server listens and its admin password, as the broker wrote them down. */
public record EmbeddedPostgresAccess(int port, String adminPassword) {

    public static final String ADMIN = "postgres";
    public static final String STATE_DATABASE = "paasbroker";

    public static EmbeddedPostgresAccess of(Path brokerDataDirectory) {
        Path file = brokerDataDirectory.resolve("embedded-postgres.properties");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (has the broker started?)", e);
        }
        return new EmbeddedPostgresAccess(
                Integer.parseInt(properties.getProperty("port")), properties.getProperty("admin-password"));
    }

    /** The pid of the running server (the postmaster), from its pid file. */
    public static long serverPid(Path brokerDataDirectory) {
        Path file = brokerDataDirectory.resolve("postgres").resolve("postmaster.pid");
        try {
            return Long.parseLong(Files.readAllLines(file).get(0).trim());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the PostgreSQL server's pid from " + file, e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }
}
