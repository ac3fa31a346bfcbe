package io.paasbroker.bench.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Where one of the broker's embedded servers listens and its admin's password, as the broker wrote them down on first
 * start ({@code <data directory>/embedded-<server>.properties}, see the broker's {@code DataDirectory}), and the
 * server's pid from the pid file it keeps under the data directory.
 */
public record EmbeddedServerAccess(int port, String adminPassword) {

    /** {@code server}: {@code postgres}, {@code mariadb} or {@code redis}, as the broker names the file. */
    public static EmbeddedServerAccess of(Path brokerDataDirectory, String server) {
        Properties properties = properties(brokerDataDirectory, server);
        return new EmbeddedServerAccess(
                Integer.parseInt(properties.getProperty("port")), properties.getProperty("admin-password"));
    }

    /**
     * A server whose admin password is not in its properties file but in a file of its own, which the server keeps:
     * the OpenSearch node ({@code embedded-opensearch.properties} holds its port, {@code opensearch/admin-password}
     * its password).
     */
    public static EmbeddedServerAccess of(Path brokerDataDirectory, String server, Path adminPasswordFile) {
        Properties properties = properties(brokerDataDirectory, server);
        try {
            return new EmbeddedServerAccess(
                    Integer.parseInt(properties.getProperty("port")),
                    Files.readString(adminPasswordFile, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + adminPasswordFile + " (has the server started?)", e);
        }
    }

    private static Properties properties(Path brokerDataDirectory, String server) {
        Path file = brokerDataDirectory.resolve("embedded-" + server + ".properties");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (has the broker started?)", e);
        }
        return properties;
    }

    /**
     * The pid in a running server's pid file, checked to be a live process of one of {@code names} (its name in
     * {@code /proc/<pid>/comm}): a file left by a server that died may name another process by now.
     */
    public static long pid(Path pidFile, String... names) {
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read a server's pid from " + pidFile, e);
        }
        String name = processName(pid);
        if (!List.of(names).contains(name)) {
            throw new IllegalStateException(
                    pidFile + " names pid " + pid + ", which is " + name + ", not " + String.join(" or ", names));
        }
        return pid;
    }

    private static String processName(long pid) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), "comm"))
                    .trim();
        } catch (IOException e) {
            return "no live process";
        }
    }
}
