package io.paasbroker.provisioner.local.common;

import io.paasbroker.provisioner.ProvisioningFailedException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a server's command-line clients ({@code pg_dump}, {@code mariadb-dump}, ...) are looked for: directories in
 * order, the first that holds an executable of a wanted name wins. Looked up when a program is run, so a broker
 * without them starts and serves everything else.
 */
public final class ClientPrograms {

    private final List<Path> directories;

    private ClientPrograms(List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    /** Only in {@code directories}, as the operator configured them. */
    public static ClientPrograms in(List<Path> directories) {
        return new ClientPrograms(directories);
    }

    /** The directories of the broker's {@code PATH}, then {@code fallbacks}. */
    public static ClientPrograms onPathThen(List<Path> fallbacks) {
        List<Path> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        directories.addAll(fallbacks);
        return new ClientPrograms(directories);
    }

    /** These directories, {@code directory} looked at first. */
    public ClientPrograms preferring(Path directory) {
        List<Path> all = new ArrayList<>();
        all.add(directory);
        all.addAll(directories);
        return new ClientPrograms(all);
    }

    /**
     * The first executable named one of {@code names} (in order of preference) in the first directory that has one.
     *
     * @throws ProvisioningFailedException when none is found, naming where it looked
     */
    public Path find(String... names) {
        for (Path directory : directories) {
            for (String name : names) {
                Path candidate = directory.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new ProvisioningFailedException("the broker cannot find " + String.join(" or ", names) + " in "
                + directories + ": install the server's client programs or configure their directory");
    }

    @Override
    public String toString() {
        return "ClientPrograms" + directories;
    }
}
