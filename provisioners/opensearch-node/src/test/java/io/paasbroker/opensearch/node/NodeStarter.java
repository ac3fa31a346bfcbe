package io.paasbroker.opensearch.node;

import java.nio.file.Path;

/** A JVM that starts a node, says so on its standard output, and waits to be killed: the parent a test kills. */
public final class NodeStarter {

    private NodeStarter() {}

    public static void main(String[] args) throws InterruptedException {
        OpenSearchNode node = OpenSearchNode.builder(Path.of(args[0]))
                .distributions(Path.of(args[1]))
                .start();
        System.out.println("started " + node.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
