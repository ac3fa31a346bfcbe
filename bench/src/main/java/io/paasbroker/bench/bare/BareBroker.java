package io.paasbroker.bench.bare;

import io.paasbroker.bench.osb.OsbPlatform;
import io.paasbroker.bench.process.JavaProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** {@link BareBrokerApplication} in a JVM of its own, with the benchmark's class path and the broker's heap. */
public final class BareBroker implements AutoCloseable {

    private final JavaProcess process;
    private final OsbPlatform platform;

    private BareBroker(JavaProcess process, OsbPlatform platform) {
        this.process = process;
        this.platform = platform;
    }

    public static BareBroker start(Collection<String> planIds, Path workDirectory, String heap) {
        int port = JavaProcess.freeLoopbackPort();
        JavaProcess process = JavaProcess.start(
                "bare-broker",
                JavaProcess.serverOptions(heap),
                List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        BareBrokerApplication.class.getName(),
                        "--server.port=" + port,
                        "--server.address=127.0.0.1",
                        "--bench.plans=" + String.join(",", planIds)),
                workDirectory);
        try {
            String base = "http://127.0.0.1:" + port;
            OsbPlatform platform = OsbPlatform.withoutAuth(base);
            process.awaitOk(URI.create(base + "/v2/catalog"), Duration.ofSeconds(60));
            return new BareBroker(process, platform);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    public OsbPlatform platform() {
        return platform;
    }

    public long pid() {
        return process.pid();
    }

    public long residentMegabytes() {
        return process.residentMegabytes();
    }

    @Override
    public void close() {
        process.close();
    }
}
