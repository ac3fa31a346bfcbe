package io.paasbroker.opensearch.node.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

/**
 * The main class of the node's own JVM (started by {@code io.paasbroker.opensearch.node.OpenSearchNode}, never loaded in
 * the broker's JVM): writes the node's configuration, generates its certificates on the first start, starts OpenSearch
 * with its modules as class-path plugins and the security plugin from {@code plugins/}, and stops when its parent
 * process is gone.
 *
 * <p>System properties (all set by the launcher): {@code paasbroker.opensearch.home} (config, data and logs),
 * {@code paasbroker.opensearch.dist} (the extracted distribution, OpenSearch's {@code path.home}),
 * {@code paasbroker.opensearch.httpPort}, {@code paasbroker.opensearch.transportPort},
 * {@code paasbroker.opensearch.clusterName}, {@code paasbroker.opensearch.https},
 * {@code paasbroker.opensearch.repositoryPath} (empty: none) and {@code paasbroker.opensearch.parentPid} (0: no
 * watchdog).
 */
public final class OpenSearchNodeMain {

    /** The modules a client of a stock distribution relies on; all of them ship in lib/ as "-client" jars. */
    private static final List<String> MODULES = List.of(
            "org.opensearch.transport.Netty4Plugin",
            "org.opensearch.analysis.common.CommonAnalysisPlugin",
            "org.opensearch.index.mapper.MapperExtrasPlugin",
            "org.opensearch.painless.PainlessPlugin",
            "org.opensearch.index.reindex.ReindexPlugin",
            "org.opensearch.join.ParentJoinPlugin",
            "org.opensearch.ingest.common.IngestCommonPlugin");

    private OpenSearchNodeMain() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(required("paasbroker.opensearch.home"));
        Path dist = Path.of(required("paasbroker.opensearch.dist"));
        Path config = home.resolve("config");
        NodeConfig nodeConfig = new NodeConfig(
                config,
                dist.resolve("plugins/opensearch-security/config"),
                Integer.parseInt(required("paasbroker.opensearch.httpPort")),
                Integer.parseInt(required("paasbroker.opensearch.transportPort")),
                required("paasbroker.opensearch.clusterName"),
                Boolean.parseBoolean(required("paasbroker.opensearch.https")),
                System.getProperty("paasbroker.opensearch.repositoryPath", ""));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        nodeConfig.write(adminPassword(home));

        Settings settings = Settings.builder()
                .put("path.home", dist.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .build();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
                settings, Collections.emptyMap(), config, () -> NodeConfig.NODE_NAME);
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(NodeConfig.NODE_NAME);
        LogConfigurator.configure(environment);

        EmbeddedNode node = new EmbeddedNode(environment, modules());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(node, stopped), "opensearch-node-shutdown"));
        node.start();
        watchParent(Long.parseLong(System.getProperty("paasbroker.opensearch.parentPid", "0")));
        stopped.await();
    }

    private static String adminPassword(Path home) throws IOException {
        return Files.readString(home.resolve("admin-password"), StandardCharsets.UTF_8)
                .strip();
    }

    private static List<Class<? extends Plugin>> modules() throws ClassNotFoundException {
        List<Class<? extends Plugin>> modules = new java.util.ArrayList<>();
        for (String module : MODULES) {
            modules.add(Class.forName(module).asSubclass(Plugin.class));
        }
        return modules;
    }

    /** A SIGKILL of the parent leaves no one to stop the node: it stops itself once the parent is gone. */
    private static void watchParent(long parentPid) {
        if (parentPid <= 0) {
            return;
        }
        Thread watchdog = new Thread(
                () -> {
                    while (ProcessHandle.of(parentPid)
                            .map(ProcessHandle::isAlive)
                            .orElse(false)) {
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    System.exit(0);
                },
                "opensearch-node-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void close(Node node, CountDownLatch stopped) {
        try {
            node.close();
            node.awaitClose(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            e.printStackTrace();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property " + property + " is required");
        }
        return value;
    }

    private static final class EmbeddedNode extends Node {
        EmbeddedNode(Environment environment, List<Class<? extends Plugin>> classpathPlugins) {
            super(environment, classpathPlugins, true);
        }
    }
}
