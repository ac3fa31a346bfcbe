package io.paasbroker.provisioner.local.common;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Where a server is down: a port nothing listens on. */
public final class ClosedPort {

    private ClosedPort() {}

    /** A port on {@code host} that was free a moment ago: bound, then released at once. */
    public static int on(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }
}
