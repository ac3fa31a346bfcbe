package io.paasbroker.aws.testbed.fake;

import io.paasbroker.opensearch.node.OpenSearchNode;
import java.nio.file.Path;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real OpenSearch nodes behind the fake's domains: a node per domain at a time, started for a domain when none is
 * idle, and idle again once its domain is gone, made blank before the next domain gets it (as a cloud keeps a warm
 * pool): a domain's users, roles and indices never reach the next one. Each node serves HTTPS with the test bed's
 * certificate.
 */
final class SearchNodes implements AutoCloseable {

    private static final String HEAP = "384m";

    private final Path work;
    private final TestBedCertificates certificates;
    private final Deque<OpenSearchNode> idle = new ConcurrentLinkedDeque<>();
    private final Deque<OpenSearchNode> all = new ConcurrentLinkedDeque<>();
    private final AtomicInteger started = new AtomicInteger();
    private final ExecutorService starter = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-opensearch-node");
        thread.setDaemon(true);
        return thread;
    });

    SearchNodes(Path work, TestBedCertificates certificates) {
        this.work = work;
        this.certificates = certificates;
    }

    /** A blank node with the domain's master user, once it is ready. */
    CompletableFuture<OpenSearchNode> take(String masterUser, String masterPassword) {
        return CompletableFuture.supplyAsync(
                () -> {
                    OpenSearchNode node = idle.poll();
                    NodeAdmin admin;
                    if (node != null && node.isRunning()) {
                        admin = new NodeAdmin(node);
                        admin.wipe();
                    } else {
                        node = start();
                        admin = new NodeAdmin(node);
                    }
                    admin.putMasterUser(masterUser, masterPassword);
                    return node;
                },
                starter);
    }

    /** Takes back the node of a domain that is gone. */
    void giveBack(CompletableFuture<OpenSearchNode> node) {
        node.thenAccept(idle::add);
    }

    private OpenSearchNode start() {
        OpenSearchNode node = OpenSearchNode.builder(work.resolve("nodes").resolve("node-" + started.incrementAndGet()))
                .clusterName("fake-opensearch-service")
                .https(true)
                .certificates(certificates.directory())
                .distributions(work.resolve("distributions"))
                .heap(HEAP)
                .start();
        all.add(node);
        return node;
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
        all.forEach(OpenSearchNode::close);
    }
}
