package io.paasbroker.aws.testbed.fake;

import io.paasbroker.opensearch.node.OpenSearchNode;
import io.paasbroker.testbed.TestBedCertificates;
import java.nio.file.Path;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The real OpenSearch nodes behind the fake's domains: a node per domain at a time, started for a domain when none is
 * idle, and idle again once its domain is gone, made blank before the next domain gets it (as a cloud keeps a warm
 * pool): a domain's users, roles, indices and snapshot repositories never reach the next one. Each node serves HTTPS
 * with the test bed's certificate, may keep snapshot repositories under one directory ({@code path.repo}), and is
 * reached through a {@link SearchDomainGateway} of its own, which comes and goes with it.
 */
final class SearchNodes implements AutoCloseable {

    private static final String HEAP = "384m";

    private final Path work;
    private final TestBedCertificates certificates;
    private final Path repositoryRoot;
    private final Function<OpenSearchNode, SearchDomainGateway> gateways;
    private final Deque<SearchDomainGateway> idle = new ConcurrentLinkedDeque<>();
    private final Deque<SearchDomainGateway> all = new ConcurrentLinkedDeque<>();
    private final AtomicInteger started = new AtomicInteger();
    private final ExecutorService starter = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-opensearch-node");
        thread.setDaemon(true);
        return thread;
    });

    /** {@code gateways}: the front each node started gets. */
    SearchNodes(
            Path work,
            TestBedCertificates certificates,
            Path repositoryRoot,
            Function<OpenSearchNode, SearchDomainGateway> gateways) {
        this.work = work;
        this.certificates = certificates;
        this.repositoryRoot = repositoryRoot;
        this.gateways = gateways;
    }

    /** The front of a blank node with the domain's master user, once the node is ready. */
    CompletableFuture<SearchDomainGateway> take(String masterUser, String masterPassword) {
        return CompletableFuture.supplyAsync(
                () -> {
                    SearchDomainGateway gateway = idle.poll();
                    NodeAdmin admin;
                    if (gateway != null && gateway.node().isRunning()) {
                        admin = new NodeAdmin(gateway.node());
                        admin.wipe();
                    } else {
                        gateway = start();
                        admin = new NodeAdmin(gateway.node());
                    }
                    admin.putMasterUser(masterUser, masterPassword);
                    return gateway;
                },
                starter);
    }

    /** Takes back the node of a domain that is gone. */
    void giveBack(CompletableFuture<SearchDomainGateway> gateway) {
        gateway.thenAccept(idle::add);
    }

    private SearchDomainGateway start() {
        OpenSearchNode node = OpenSearchNode.builder(work.resolve("nodes").resolve("node-" + started.incrementAndGet()))
                .clusterName("fake-opensearch-service")
                .https(true)
                .certificates(certificates.directory())
                .distributions(work.resolve("distributions"))
                .repositoryPath(repositoryRoot)
                .heap(HEAP)
                .start();
        try {
            SearchDomainGateway gateway = gateways.apply(node);
            all.add(gateway);
            return gateway;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** Lets the nodes being started finish starting, so that every node started is stopped. */
    @Override
    public void close() {
        starter.shutdown();
        try {
            starter.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.forEach(gateway -> {
            gateway.close();
            gateway.node().close();
        });
    }
}
