package io.paasbroker.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server a previous run started and could not stop (the broker was killed): found by its pid file, it still holds
 * its data directory and port, so a new start stops it first.
 */
final class StaleServerProcess {

    private static final Logger log = LoggerFactory.getLogger(StaleServerProcess.class);

    private StaleServerProcess() {}

    static void stop(String what, Path pidFile) {
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            Optional<ProcessHandle> server = ProcessHandle.of(pid);
            if (server.isPresent() && server.get().isAlive()) {
                log.warn("Stopping the {} (pid {}) a previous run left behind", what, pid);
                server.get().destroy();
                try {
                    server.get().onExit().get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    server.get().destroyForcibly();
                    server.get().onExit().get(10, TimeUnit.SECONDS);
                }
            }
            Files.deleteIfExists(pidFile);
        } catch (Exception e) {
            log.warn("Could not check the pid file {}: {}", pidFile, e.toString());
        }
    }
}
