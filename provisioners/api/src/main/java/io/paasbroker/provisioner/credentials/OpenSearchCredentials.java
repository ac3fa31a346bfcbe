package io.paasbroker.provisioner.credentials;

import io.paasbroker.provisioner.Credentials;

/**
 * An OpenSearch binding's credentials, the same for every provisioner: an internal user confined to the instance's
 * index prefix. Its binding-directory type is {@code elasticsearch}, the type Spring Cloud Bindings maps (onto
 * {@code spring.elasticsearch.uris}, {@code username} and {@code password}): OpenSearch 2 answers the REST client
 * Spring Boot configures from them.
 *
 * @param host where applications connect
 * @param port its HTTP port
 * @param username the binding's internal user
 * @param password its password
 * @param indexPrefix the prefix every index of the instance has
 * @param tls whether and how the cluster speaks HTTPS
 * @param readOnly whether the user may only read
 */
public record OpenSearchCredentials(
        String host, int port, String username, String password, String indexPrefix, ServerTls tls, boolean readOnly) {

    /** The user is letters, digits and underscores, the password unreserved characters: URI-safe as they are. */
    public Credentials toCredentials() {
        String scheme = tls.enabled() ? "https" : "http";
        return new CredentialValues("elasticsearch")
                .put("uri", scheme + "://" + username + ":" + password + "@" + host + ":" + port)
                .put("uris", scheme + "://" + host + ":" + port)
                .address(host, port)
                .login(username, password)
                .put("index_prefix", indexPrefix)
                .put("read_only", readOnly)
                .ca(tls)
                .build();
    }

    @Override
    public String toString() {
        return "OpenSearchCredentials[" + username + "@" + host + ":" + port + ", " + tls + "]";
    }
}
