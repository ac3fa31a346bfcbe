package io.paasbroker.testbed;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/** The HTTP servers the fakes answer on: a free port of 127.0.0.1, every answer sent at once. */
public final class LoopbackServers {

    static {
        // answers go out at once: without it each answer's last packet waits on the client's delayed ACK (40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LoopbackServers() {}

    /** A started server of {@code what} (a fake's name) whose every request {@code handler} answers. */
    public static HttpServer start(String what, HttpHandler handler) {
        return start(what, handler, null);
    }

    /** The same, its requests answered on {@code executor}'s threads (none: the server's own one). */
    public static HttpServer start(String what, HttpHandler handler, Executor executor) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the fake " + what, e);
        }
        return serve(server, handler, executor);
    }

    /** The same over TLS, with the certificate and key of {@code tls}. */
    public static HttpsServer startHttps(String what, HttpHandler handler, SSLContext tls, Executor executor) {
        HttpsServer server;
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the fake " + what, e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return serve(server, handler, executor);
    }

    private static <S extends HttpServer> S serve(S server, HttpHandler handler, Executor executor) {
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        return server;
    }
}
