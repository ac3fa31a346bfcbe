package io.paasbroker.provisioner.local.mysql;

import io.paasbroker.provisioner.credentials.MysqlCredentials;
import io.paasbroker.provisioner.credentials.ServerTls;
import java.time.Duration;

/**
 * A MySQL 8 or MariaDB 10.11+ server the operator runs, on which tenants get databases.
 *
 * <p>The admin account needs, on {@code *.*} and {@code WITH GRANT OPTION}: the privileges it hands to bindings
 * (see {@link BindingAccess}), {@code CREATE USER}, {@code PROCESS} and {@code CONNECTION ADMIN} (MariaDB) or
 * {@code CONNECTION_ADMIN} (MySQL) to end tenants' sessions, and {@code SELECT} on {@code mysql.user}. The server must
 * grant nothing to every user: no anonymous accounts, no grants to {@code PUBLIC} or {@code ''} (the {@code test}
 * database of a fresh MariaDB), as {@code mariadb-secure-installation} leaves it; otherwise tenants share those.
 *
 * @param name what plans call it ({@code server} property)
 * @param host where the broker reaches it
 * @param port its port
 * @param adminUsername the admin account described above
 * @param adminPassword that account's password
 * @param publicHost the host applications are given in credentials (often the same)
 * @param publicPort the port applications are given
 * @param connectTimeout how long a step waits for the server before it counts as unavailable
 * @param tls whether it offers TLS and how to verify it: the broker and its client programs then use TLS, verifying
 *     the server, and so do bindings' credentials
 */
public record MysqlServer(
        String name,
        String host,
        int port,
        String adminUsername,
        String adminPassword,
        String publicHost,
        int publicPort,
        Duration connectTimeout,
        ServerTls tls) {

    public MysqlServer {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        tls = tls == null ? ServerTls.OFF : tls;
    }

    /** How long a statement of the broker's waits for a lock a tenant holds before it fails. */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The admin's URL, no database selected. Client-side prepared statements let a password travel as a parameter of
     * CREATE/ALTER USER (the server cannot prepare those); a failing statement's text is kept out of exception
     * messages.
     */
    String adminJdbcUrl() {
        return "jdbc:mariadb://" + host + ":" + port + "/?connectTimeout=" + connectTimeout.toMillis()
                + "&socketTimeout=" + Math.max(30_000, connectTimeout.toMillis())
                + "&useServerPrepStmts=false&dumpQueriesOnException=false&sessionVariables=lock_wait_timeout="
                + LOCK_TIMEOUT.toSeconds() + (tls.enabled() ? "&" + MysqlCredentials.jdbcTlsParameters(tls) : "");
    }

    @Override
    public String toString() {
        return "MysqlServer[" + name + " " + host + ":" + port + " as " + adminUsername + "]";
    }
}
