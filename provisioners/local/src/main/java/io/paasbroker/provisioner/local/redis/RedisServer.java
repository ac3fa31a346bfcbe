package io.paasbroker.provisioner.local.redis;

import io.paasbroker.provisioner.credentials.ServerTls;
import java.time.Duration;

/**
 * A Redis 7 server the operator runs, on which tenants get a key prefix and ACL users. It must be started with an
 * {@code aclfile}, so that users survive a restart.
 *
 * @param name what plans call it ({@code server} property)
 * @param host where the broker reaches it
 * @param port its port
 * @param adminUsername an ACL user with {@code ~* &* +@all}
 * @param adminPassword that user's password
 * @param publicHost the host applications are given in credentials (often the same)
 * @param publicPort the port applications are given
 * @param connectTimeout how long a step waits for the server, to connect and for each command, before it counts as
 *     unavailable
 * @param tls whether it offers TLS on {@code port} and how to verify it: the broker then uses TLS, verifying the
 *     server, and so do bindings' credentials
 */
public record RedisServer(
        String name,
        String host,
        int port,
        String adminUsername,
        String adminPassword,
        String publicHost,
        int publicPort,
        Duration connectTimeout,
        ServerTls tls) {

    public RedisServer {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        tls = tls == null ? ServerTls.OFF : tls;
    }

    @Override
    public String toString() {
        return "RedisServer[" + name + " " + host + ":" + port + " as " + adminUsername + "]";
    }
}
