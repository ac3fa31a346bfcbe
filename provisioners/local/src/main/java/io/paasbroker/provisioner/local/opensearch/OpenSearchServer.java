package io.paasbroker.provisioner.local.opensearch;

import io.paasbroker.provisioner.credentials.ServerTls;
import java.time.Duration;

/**
 * An OpenSearch cluster with the security plugin, run by the operator, on which tenants get an index prefix, roles
 * over it and internal users.
 *
 * @param name what plans call it ({@code server} property)
 * @param scheme {@code http} or {@code https}, for the broker and for the credentials it hands out
 * @param host where the broker reaches it
 * @param port its HTTP port
 * @param adminUsername an internal user mapped to {@code all_access} and allowed to use the security REST API
 *     ({@code plugins.security.restapi.roles_enabled})
 * @param adminPassword that user's password
 * @param caCertificatePem the PEM of the CA that signed the server's HTTPS certificate, when the JVM's default trust
 *     store does not hold it; null otherwise. Also handed to applications as {@code ca_certificate}
 * @param publicHost the host applications are given in credentials (often the same)
 * @param publicPort the port applications are given
 * @param connectTimeout how long a step waits for the server, to connect and for each request, before it counts as
 *     unavailable
 */
public record OpenSearchServer(
        String name,
        String scheme,
        String host,
        int port,
        String adminUsername,
        String adminPassword,
        String caCertificatePem,
        String publicHost,
        int publicPort,
        Duration connectTimeout) {

    public OpenSearchServer {
        scheme = scheme == null ? "https" : scheme;
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("OpenSearch server '" + name + "': scheme must be http or https");
        }
        publicHost = publicHost == null ? host : publicHost;
        publicPort = publicPort == 0 ? port : publicPort;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
    }

    /** HTTPS verified against {@code caCertificatePem}, or the system's CAs; or plain HTTP. */
    public ServerTls tls() {
        return scheme.equals("https") ? ServerTls.verifiedBy(caCertificatePem) : ServerTls.OFF;
    }

    @Override
    public String toString() {
        return "OpenSearchServer[" + name + " " + scheme + "://" + host + ":" + port + " as " + adminUsername + "]";
    }
}
