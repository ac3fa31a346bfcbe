package io.paasbroker.provisioner.host;

import io.paasbroker.provisioner.Passwords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Files the embedded default keeps between runs, under a directory only the broker's user can enter: they hold keys,
 * passwords and the tenants' data.
 */
public final class DataDirectory {

    private final Path root;

    public DataDirectory(Path root) {
        // the servers below keep tenants' data, in files of the modes they choose
        this.root = OwnerOnlyDirectory.create(root.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }

    /** Where an embedded server listens and its admin's password: chosen on first start, then kept. */
    public record ServerSettings(int port, String adminPassword) {
        @Override
        public String toString() {
            return "ServerSettings[port " + port + "]";
        }
    }

    public ServerSettings serverSettings(String server) {
        Properties settings = secretProperties("embedded-" + server + ".properties", () -> {
            Properties initial = new Properties();
            initial.setProperty("port", String.valueOf(LoopbackPorts.free()));
            initial.setProperty("admin-password", Passwords.generate());
            return initial;
        });
        return new ServerSettings(
                Integer.parseInt(settings.getProperty("port")), settings.getProperty("admin-password"));
    }

    /** A loopback port for a server without an admin of its own: chosen on first start, then kept. */
    public int keptPort(String server) {
        Properties settings = secretProperties("embedded-" + server + ".properties", () -> {
            Properties initial = new Properties();
            initial.setProperty("port", String.valueOf(LoopbackPorts.free()));
            return initial;
        });
        return Integer.parseInt(settings.getProperty("port"));
    }

    /** The properties in {@code name}, created from {@code initial} on first use. */
    public Properties secretProperties(String name, Supplier<Properties> initial) {
        Path file = root.resolve(name);
        Properties properties = new Properties();
        try {
            if (Files.exists(file)) {
                try (var in = Files.newInputStream(file)) {
                    properties.load(in);
                }
                return properties;
            }
            properties = initial.get();
            Path temporary = Files.createTempFile(root, name, ".tmp");
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            try (var out = Files.newOutputStream(temporary)) {
                properties.store(out, "paasbroker embedded default: keep secret");
            }
            Files.move(temporary, file);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }
}
