package io.paasbroker.provisioner.local.boot;

import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.common.ServedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The local provisioner's section, {@code paasbroker.local.*}: the servers it creates tenants on, by service kind, and
 * the S3 server it runs itself. See CONFIGURATION.md.
 */
@ConfigurationProperties("paasbroker.local")
public record LocalProperties(
        List<Server> postgres,
        List<Server> mysql,
        List<Server> redis,
        List<Server> opensearch,
        @DefaultValue S3 s3) {

    /**
     * The S3 server the broker runs itself for local S3 plans (S3Proxy), its objects under {@code storage}.
     *
     * @param enabled whether to run it; by default it runs with the embedded default only
     * @param port where it listens; by default a free port chosen once and kept in the data directory, so that the
     *     endpoint in issued credentials stays valid across restarts
     * @param publicHost the host name applications use to reach it, when not {@code host}
     * @param storage where objects live; by default {@code s3/} in the data directory
     * @param certificateFile with {@code keyFile}: the certificate it serves HTTPS with (PEM, intermediates after
     *     it), and HTTPS only; by default the embedded default's, or plain HTTP without it
     * @param keyFile the certificate's private key (PEM PKCS#8)
     * @param caCertificate the PEM of the CA applications verify the certificate with, when the system's CAs do not
     *     vouch for it; handed to them in their credentials
     */
    public record S3(
            Boolean enabled,
            @DefaultValue("127.0.0.1") String host,
            Integer port,
            String publicHost,
            Path storage,
            Path certificateFile,
            Path keyFile,
            String caCertificate) {

        public S3 {
            if ((certificateFile == null) != (keyFile == null)) {
                throw new IllegalArgumentException(
                        "paasbroker.local.s3: certificate-file and key-file go together, or neither is set");
            }
        }

        Optional<ServedCertificate> certificate() {
            return certificateFile == null
                    ? Optional.empty()
                    : Optional.of(new ServedCertificate(certificateFile, keyFile, ServerTls.verifiedBy(caCertificate)));
        }

        public boolean enabledWith(boolean embedded) {
            return enabled == null ? embedded : enabled;
        }

        public String publicHostOrHost() {
            return publicHost == null ? host : publicHost;
        }
    }

    /**
     * A server the operator runs. Its admin password lives in the credential store ({@code servers/<kind>/<name>});
     * {@code adminPassword} only bootstraps that entry, and should come from the environment.
     *
     * @param protectedDatabases PostgreSQL only: databases besides postgres and template1 tenants must not reach
     * @param scheme OpenSearch only: {@code https} (the default) or {@code http}
     * @param tls PostgreSQL, MySQL and Redis: whether the server offers TLS (on {@code port}, for Redis); the broker
     *     then connects with TLS, verifying the server, and credentials tell applications to do the same
     * @param caCertificate the PEM of the CA of the server's certificate (OpenSearch: of its HTTPS certificate), when
     *     the system's CAs do not vouch for it; also handed to applications in their credentials
     */
    public record Server(
            String name,
            @DefaultValue("127.0.0.1") String host,
            int port,
            String adminUsername,
            String adminPassword,
            String publicHost,
            Integer publicPort,
            List<String> protectedDatabases,
            @DefaultValue("5s") Duration connectTimeout,
            String scheme,
            @DefaultValue("false") boolean tls,
            String caCertificate) {

        public ServerTls serverTls() {
            return tls ? ServerTls.verifiedBy(caCertificate) : ServerTls.OFF;
        }

        public String publicHostOrHost() {
            return publicHost == null ? host : publicHost;
        }

        public int publicPortOrPort() {
            return publicPort == null ? port : publicPort;
        }

        @Override
        public String toString() {
            return "Server[" + name + "]";
        }
    }
}
