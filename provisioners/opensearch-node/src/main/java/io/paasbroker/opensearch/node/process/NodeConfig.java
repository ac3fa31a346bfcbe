package io.paasbroker.opensearch.node.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The node's configuration directory: {@code opensearch.yml} and {@code log4j2.properties} (written on every start,
 * since the ports may change), its certificates and the security plugin's initial configuration (written once; the
 * plugin copies it into its security index on the first start and reads only the index after that). An empty
 * {@code repositoryPath} leaves {@code path.repo} unset: no {@code fs} snapshot repository can be registered.
 */
record NodeConfig(
        Path dir,
        Path pluginDefaults,
        int httpPort,
        int transportPort,
        String clusterName,
        boolean https,
        String repositoryPath) {

    static final String ADMIN_USERNAME = "admin";
    static final String NODE_NAME = "paasbroker-opensearch";

    /** Taken from the plugin's own defaults: the plugin wants every type of configuration present on first start. */
    private static final List<String> PLUGIN_DEFAULTS =
            List.of("action_groups.yml", "tenants.yml", "nodes_dn.yml", "allowlist.yml", "whitelist.yml");

    void write(String adminPassword) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        restrictToOwner(dir);
        LoopbackCertificates.writeIfAbsent(dir);
        write(dir.resolve("opensearch.yml"), opensearchYml());
        write(dir.resolve("log4j2.properties"), LOG4J2_PROPERTIES);
        Path security = dir.resolve("opensearch-security");
        if (!Files.exists(security.resolve("internal_users.yml"))) {
            Files.createDirectories(security);
            for (String file : PLUGIN_DEFAULTS) {
                if (Files.exists(pluginDefaults.resolve(file))) {
                    Files.copy(
                            pluginDefaults.resolve(file), security.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            write(security.resolve("config.yml"), CONFIG_YML);
            write(security.resolve("roles.yml"), META.formatted("roles"));
            write(security.resolve("roles_mapping.yml"), ROLES_MAPPING_YML);
            write(security.resolve("audit.yml"), AUDIT_YML);
            // last: its presence says the set is complete
            write(security.resolve("internal_users.yml"), internalUsersYml(adminPassword));
        }
        restrictToOwner(dir);
    }

    /** The security plugin warns about configuration anyone else on the machine can read; no one else needs to. */
    private static void restrictToOwner(Path dir) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                Files.setPosixFilePermissions(
                        path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
            }
        }
    }

    private String opensearchYml() {
        return """
                cluster.name: "%s"
                node.name: "%s"
                discovery.type: single-node
                network.host: 127.0.0.1
                http.port: %d
                transport.port: %d
                action.destructive_requires_name: true
                cluster.routing.allocation.disk.threshold_enabled: false
                indices.breaker.total.use_real_memory: false

                plugins.security.ssl.transport.pemcert_filepath: %s
                plugins.security.ssl.transport.pemkey_filepath: %s
                plugins.security.ssl.transport.pemtrustedcas_filepath: %s
                plugins.security.ssl.transport.enforce_hostname_verification: false
                plugins.security.ssl.http.enabled: %s
                plugins.security.ssl.http.pemcert_filepath: %s
                plugins.security.ssl.http.pemkey_filepath: %s
                plugins.security.ssl.http.pemtrustedcas_filepath: %s
                plugins.security.nodes_dn:
                  - "%s"
                plugins.security.allow_default_init_securityindex: true
                plugins.security.restapi.roles_enabled: ["all_access", "security_rest_api_access"]
                plugins.security.system_indices.enabled: true
                plugins.security.check_snapshot_restore_write_privileges: true
                """.formatted(
                                clusterName,
                                NODE_NAME,
                                httpPort,
                                transportPort,
                                LoopbackCertificates.NODE_CERT_FILE,
                                LoopbackCertificates.NODE_KEY_FILE,
                                LoopbackCertificates.CA_FILE,
                                https,
                                LoopbackCertificates.NODE_CERT_FILE,
                                LoopbackCertificates.NODE_KEY_FILE,
                                LoopbackCertificates.CA_FILE,
                                LoopbackCertificates.NODE_DN)
                + (repositoryPath.isEmpty() ? "" : "path.repo: [\"%s\"]\n".formatted(repositoryPath));
    }

    private static String internalUsersYml(String adminPassword) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String hash = OpenBSDBCrypt.generate("2y", adminPassword.toCharArray(), salt, 12);
        return META.formatted("internalusers") + """
                %s:
                  hash: "%s"
                  reserved: false
                  backend_roles: ["admin"]
                  description: "the broker's administrator"
                """.formatted(ADMIN_USERNAME, hash);
    }

    private static final String META = """
            _meta:
              type: "%s"
              config_version: 2
            """;

    private static final String CONFIG_YML = META.formatted("config") + """
            config:
              dynamic:
                http:
                  anonymous_auth_enabled: false
                authc:
                  basic_internal_auth_domain:
                    description: "HTTP basic authentication against the internal users"
                    http_enabled: true
                    transport_enabled: true
                    order: 0
                    http_authenticator:
                      type: basic
                      challenge: true
                    authentication_backend:
                      type: intern
            """;

    private static final String ROLES_MAPPING_YML = META.formatted("rolesmapping") + """
            all_access:
              reserved: true
              backend_roles: ["admin"]
              description: "the broker's administrator"
            security_rest_api_access:
              reserved: true
              backend_roles: ["admin"]
            """;

    private static final String AUDIT_YML = META.formatted("audit") + """
            config:
              enabled: false
            """;

    private static final String LOG4J2_PROPERTIES = """
            status = error
            appender.rolling.type = RollingFile
            appender.rolling.name = rolling
            appender.rolling.fileName = ${sys:opensearch.logs.base_path}${sys:file.separator}opensearch.log
            appender.rolling.filePattern = ${sys:opensearch.logs.base_path}${sys:file.separator}opensearch-%i.log
            appender.rolling.layout.type = PatternLayout
            appender.rolling.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
            appender.rolling.policies.type = Policies
            appender.rolling.policies.size.type = SizeBasedTriggeringPolicy
            appender.rolling.policies.size.size = 10MB
            appender.rolling.strategy.type = DefaultRolloverStrategy
            appender.rolling.strategy.max = 3
            rootLogger.level = info
            rootLogger.appenderRef.rolling.ref = rolling
            logger.deprecation.name = org.opensearch.deprecation
            logger.deprecation.level = error
            # without an audit sink configured (audit is off) the plugin logs an error at every start
            logger.auditsink.name = org.opensearch.security.auditlog.sink.SinkProvider
            logger.auditsink.level = off
            """;

    private static void write(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
