package io.paasbroker.provisioner.credentials;

import io.paasbroker.provisioner.Credentials;

/**
 * A MySQL (or MariaDB) binding's credentials, the same for every provisioner. {@code jdbcUrl} (java-cfenv) and
 * {@code jdbc-url} (Spring Cloud Bindings; without it that reader builds a {@code jdbc:mysql:} URL MariaDB Connector/J
 * refuses) work with MariaDB Connector/J 3, through {@code permitMysqlScheme}, and with MySQL Connector/J, and verify
 * the server: the host name, and the chain against the CA given inline ({@code serverSslCert}, read by MariaDB
 * Connector/J; MySQL Connector/J needs the CA in the JVM's trust store). Names and generated passwords are URL-safe
 * (letters, digits, {@code -._~}), so they need no encoding (MariaDB Connector/J does not decode URL parameters).
 *
 * @param host where applications connect
 * @param port its port
 * @param database the instance's database
 * @param username the binding's user
 * @param password its password
 * @param tls whether and how the server speaks TLS
 * @param readOnly whether the user may only read
 */
public record MysqlCredentials(
        String host, int port, String database, String username, String password, ServerTls tls, boolean readOnly) {

    /**
     * Connector/J parameters for {@code tls} ({@code VERIFY_IDENTITY} is verify-full to both drivers). The CA is raw
     * PEM: MariaDB Connector/J takes URL parameters as they are written. Without TLS, none.
     */
    public static String jdbcTlsParameters(ServerTls tls) {
        if (!tls.enabled()) {
            return "";
        }
        return "sslMode=VERIFY_IDENTITY" + (tls.hasPrivateCa() ? "&serverSslCert=" + tls.caCertificatePem() : "");
    }

    public Credentials toCredentials() {
        String address = host + ":" + port + "/" + database;
        String tlsParameters = jdbcTlsParameters(tls);
        String jdbcUrl =
                "jdbc:mysql://" + address + "?permitMysqlScheme" + (tlsParameters.isEmpty() ? "" : "&" + tlsParameters);
        CredentialValues values = new CredentialValues("mysql")
                .put(
                        "uri",
                        "mysql://" + username + ":" + password + "@" + address
                                + (tls.enabled() ? "?ssl-mode=VERIFY_IDENTITY" : ""))
                .put("jdbcUrl", jdbcUrl + "&user=" + username + "&password=" + password)
                .put("jdbc-url", jdbcUrl)
                .database(host, port, database, username, password, readOnly);
        if (tls.enabled()) {
            values.put("tls", true);
        }
        return values.ca(tls).build();
    }

    @Override
    public String toString() {
        return "MysqlCredentials[" + username + "@" + host + ":" + port + "/" + database + ", " + tls + "]";
    }
}
