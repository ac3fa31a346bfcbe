package io.paasbroker.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Addresses of their own for servers a cloud runs on one well-known port each (Azure's flexible servers on 5432 and
 * 3306, its caches on 10000): each server gets an address of the loopback network {@code 127.77.0.0/24} where it
 * listens on that port, and what connects there is passed through to the real server behind it on 127.0.0.1, when
 * the cloud's firewall lets the client in. The test bed's certificate is valid for every one of these addresses.
 */
public final class ServerAddresses {

    /** Every address a server may get. */
    public static final List<InetAddress> ALL =
            IntStream.rangeClosed(1, 254).mapToObj(ServerAddresses::address).toList();

    private static final AtomicInteger NEXT = new AtomicInteger();

    private ServerAddresses() {}

    /**
     * A free address where {@code port} passes through to {@code backendPort} of 127.0.0.1 for clients
     * {@code admitted} lets in; others are disconnected at once, as a cloud's firewall drops them.
     */
    public static Passage open(int port, int backendPort, Predicate<InetAddress> admitted) {
        for (int tries = 0; tries < ALL.size(); tries++) {
            InetAddress address = ALL.get(Math.floorMod(NEXT.getAndIncrement(), ALL.size()));
            ServerSocket listener;
            try {
                listener = new ServerSocket();
                listener.bind(new InetSocketAddress(address, port));
            } catch (IOException e) {
                continue; // taken by another server (or another test bed)
            }
            return new Passage(listener, backendPort, admitted);
        }
        throw new IllegalStateException("no address of 127.77.0.0/24 is free on port " + port);
    }

    private static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 77, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of four bytes is always one", e);
        }
    }

    /** One server's address and the passage through it. */
    public static final class Passage implements AutoCloseable {

        private final ServerSocket listener;
        private final int backendPort;
        private final Predicate<InetAddress> admitted;
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();

        private Passage(ServerSocket listener, int backendPort, Predicate<InetAddress> admitted) {
            this.listener = listener;
            this.backendPort = backendPort;
            this.admitted = admitted;
            daemon("server-address-" + address(), this::accept);
        }

        /** The server's address: {@code 127.77.0.<n>}. */
        public String address() {
            return listener.getInetAddress().getHostAddress();
        }

        private void accept() {
            while (!listener.isClosed()) {
                Socket client;
                try {
                    client = listener.accept();
                } catch (IOException e) {
                    continue; // closed: the loop ends
                }
                if (!admitted.test(client.getInetAddress())) {
                    closeQuietly(client);
                    continue;
                }
                try {
                    Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
                    open.add(client);
                    open.add(backend);
                    daemon("server-address-in", () -> pump(client, backend));
                    daemon("server-address-out", () -> pump(backend, client));
                } catch (IOException e) {
                    closeQuietly(client); // the server behind is down: the client is disconnected
                }
            }
        }

        private void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        private void closeQuietly(Socket socket) {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
        }

        private static void daemon(String name, Runnable work) {
            Thread thread = new Thread(work, name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops listening and disconnects every client. */
        @Override
        public void close() {
            try {
                listener.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop listening on " + address(), e);
            }
            open.forEach(this::closeQuietly);
        }
    }
}
