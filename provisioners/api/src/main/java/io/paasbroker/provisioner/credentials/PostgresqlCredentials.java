package io.paasbroker.provisioner.credentials;

import io.paasbroker.provisioner.Credentials;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL binding's credentials, the same for every provisioner. {@code jdbcUrl} (Cloud Foundry, java-cfenv) and
 * {@code jdbc-url} (Spring Cloud Bindings) carry everything pgjdbc needs to verify the server, the CA included, so an
 * application connects over verified TLS with no settings of its own. {@code uri} ({@code postgres://}, Cloud Foundry's
 * scheme) and {@code url} ({@code postgresql://}, the one SQLAlchemy and others insist on) with
 * {@code sslmode=verify-full} are for libpq ({@code psql}, psycopg) and node-postgres, which read the CA from a file.
 *
 * @param host where applications connect
 * @param port its port
 * @param database the instance's database
 * @param username the binding's login
 * @param password its password
 * @param tls whether and how the server speaks TLS
 * @param readOnly whether the login may only read
 */
public record PostgresqlCredentials(
        String host, int port, String database, String username, String password, ServerTls tls, boolean readOnly) {

    /**
     * pgjdbc's parameters for {@code tls}: the host name and the chain verified, against the CA given inline (pgjdbc
     * reads {@code sslrootcert} from a file only) or against the JVM's trusted CAs. Without TLS, none: the driver's
     * default applies.
     */
    public static String jdbcTlsParameters(ServerTls tls) {
        if (!tls.enabled()) {
            return "";
        }
        if (!tls.hasPrivateCa()) {
            return "sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory";
        }
        return "sslmode=verify-full&sslfactory=org.postgresql.ssl.SingleCertValidatingFactory&sslfactoryarg="
                + encode(tls.caCertificatePem());
    }

    public Credentials toCredentials() {
        String address = host + ":" + port + "/" + database;
        String tlsParameters = jdbcTlsParameters(tls);
        String jdbcUrl = "jdbc:postgresql://" + address + (tlsParameters.isEmpty() ? "" : "?" + tlsParameters);
        String login = encode(username) + ":" + encode(password);
        String uriQuery = tls.enabled() ? "?sslmode=verify-full" : "";
        CredentialValues values = new CredentialValues("postgresql")
                .put("uri", "postgres://" + login + "@" + address + uriQuery)
                .put("url", "postgresql://" + login + "@" + address + uriQuery)
                .put(
                        "jdbcUrl",
                        jdbcUrl + (tlsParameters.isEmpty() ? "?" : "&") + "user=" + encode(username) + "&password="
                                + encode(password))
                .put("jdbc-url", jdbcUrl)
                .database(host, port, database, username, password, readOnly);
        if (tls.enabled()) {
            values.put("sslmode", "verify-full");
            if (tls.hasPrivateCa()) {
                values.put("sslrootcert", CredentialValues.CA_FILE); // a file of the binding directory, by name
            }
        }
        return values.ca(tls).build();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PostgresqlCredentials[" + username + "@" + host + ":" + port + "/" + database + ", " + tls + "]";
    }
}
