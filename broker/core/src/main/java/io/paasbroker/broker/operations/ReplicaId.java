package io.paasbroker.broker.operations;

import java.net.InetAddress;
import java.util.UUID;

/** Names this broker process in the leases it takes, so that replicas sharing a state store tell theirs apart. */
public record ReplicaId(String value) {

    public static ReplicaId generate() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return new ReplicaId(host + "/" + ProcessHandle.current().pid() + "/"
                + UUID.randomUUID().toString().substring(0, 8));
    }

    @Override
    public String toString() {
        return value;
    }
}
