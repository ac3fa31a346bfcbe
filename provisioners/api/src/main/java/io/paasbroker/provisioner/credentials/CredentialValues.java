package io.paasbroker.provisioner.credentials;

import io.paasbroker.provisioner.Credentials;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries every kind's credentials share, in the names both conventions read: Cloud Foundry's ({@code hostname},
 * {@code username}, {@code ca_certificate}) and the servicebinding.io binding directory's ({@code type},
 * {@code provider}, {@code host}, {@code ca.crt}, one file each).
 */
final class CredentialValues {

    /** The {@code provider} entry of a binding directory: who made the binding. */
    static final String PROVIDER = "paasbroker";
    /** The CA's file in a binding directory, named as Kubernetes names it in TLS secrets. */
    static final String CA_FILE = "ca.crt";

    private final Map<String, Object> values = new LinkedHashMap<>();

    CredentialValues(String type) {
        values.put("type", type);
        values.put("provider", PROVIDER);
    }

    CredentialValues put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    /** {@code value} under {@code key}, unless it is null: an entry only some instances have. */
    CredentialValues putIfPresent(String key, Object value) {
        return value == null ? this : put(key, value);
    }

    CredentialValues address(String host, int port) {
        return put("host", host).put("hostname", host).put("port", port);
    }

    CredentialValues login(String username, String password) {
        return put("username", username).put("password", password);
    }

    /** A database's address, its name under both conventions' keys, and the binding's login. */
    CredentialValues database(
            String host, int port, String database, String username, String password, boolean readOnly) {
        return address(host, port)
                .put("name", database)
                .put("database", database)
                .login(username, password)
                .put("read_only", readOnly);
    }

    /** The CA to verify the server with, when the system's CAs do not: as PEM under both conventions' names. */
    CredentialValues ca(ServerTls tls) {
        if (tls.hasPrivateCa()) {
            put("ca_certificate", tls.caCertificatePem());
            put(CA_FILE, tls.caCertificatePem());
        }
        return this;
    }

    Credentials build() {
        return new Credentials(values);
    }
}
