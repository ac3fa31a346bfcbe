package io.paasbroker.provisioner.local.postgres;

import io.paasbroker.provisioner.credentials.PostgresqlCredentials;
import io.paasbroker.provisioner.credentials.ServerTls;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A PostgreSQL server the operator runs, on which tenants get databases.
 *
 * @param name what plans call it ({@code server} property)
 * @param host where the broker reaches it
 * @param port its port
 * @param adminUsername a superuser, or a role with CREATEDB and CREATEROLE
 * @param adminPassword that role's password
 * @param publicHost the host applications are given in credentials (often the same)
 * @param publicPort the port applications are given
 * @param protectedDatabases databases besides {@code postgres} and {@code template1} that tenants must not connect to
 * @param connectTimeout how long a step waits for the server before it counts as unavailable
 * @param tls whether it offers TLS and how to verify it: the broker and its client programs then use TLS, verifying
 *     the server, and so do bindings' credentials
 */
public record PostgresServer(
        String name,
        String host,
        int port,
        String adminUsername,
        String adminPassword,
        String publicHost,
        int publicPort,
        List<String> protectedDatabases,
        Duration connectTimeout,
        ServerTls tls) {

    public PostgresServer {
        protectedDatabases = protectedDatabases == null ? List.of() : List.copyOf(protectedDatabases);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        tls = tls == null ? ServerTls.OFF : tls;
    }

    /**
     * The role whose members the server must refuse without TLS: logins of plans that require TLS join it, and the
     * server's {@code pg_hba.conf} needs {@code hostnossl all +paasbroker_tls_only all reject} before its other rules.
     */
    public static final String TLS_ONLY_GROUP = "paasbroker_tls_only";

    /** How long an admin statement waits for a lock a tenant holds before it fails. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

    /**
     * What every admin session starts with, whatever the database's or a role's defaults say (startup options win over
     * both): names resolve in {@code pg_catalog} alone, so an operator or function a tenant planted in a schema of its
     * own never runs with the admin's rights, and a lock a tenant holds stops a step for seconds, not for good.
     */
    static final String ADMIN_SESSION = "-c search_path=pg_catalog,pg_temp -c lock_timeout=" + LOCK_TIMEOUT.toMillis();

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?connectTimeout="
                + Math.max(1, connectTimeout.toSeconds()) + "&socketTimeout=" + Math.max(30, connectTimeout.toSeconds())
                + "&ApplicationName=paasbroker&options=" + URLEncoder.encode(ADMIN_SESSION, StandardCharsets.UTF_8)
                + (tls.enabled() ? "&" + PostgresqlCredentials.jdbcTlsParameters(tls) : "");
    }

    @Override
    public String toString() {
        return "PostgresServer[" + name + " " + host + ":" + port + " as " + adminUsername + "]";
    }
}
