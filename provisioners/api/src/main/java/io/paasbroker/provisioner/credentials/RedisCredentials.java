package io.paasbroker.provisioner.credentials;

import io.paasbroker.provisioner.Credentials;

/**
 * A Redis binding's credentials, the same for every provisioner: an ACL user confined to the instance's key prefix.
 * {@code uri} (Cloud Foundry) and {@code url} (Spring Cloud Bindings, which maps no user name otherwise) are
 * {@code rediss://} when the server speaks TLS. There is deliberately no {@code ssl} entry: Spring Cloud Bindings
 * would map it onto Spring Boot's {@code spring.data.redis.ssl}, an object since Boot 3, and stop the application.
 *
 * @param host where applications connect
 * @param port its port (the TLS port when the server speaks TLS)
 * @param username the binding's ACL user
 * @param password its password
 * @param keyPrefix the prefix every key of the instance has, where it shares a server; null where the instance has a
 *     server of its own (an ElastiCache replication group), whose every key is its
 * @param tls whether and how the server speaks TLS
 * @param readOnly whether the user may only read
 */
public record RedisCredentials(
        String host, int port, String username, String password, String keyPrefix, ServerTls tls, boolean readOnly) {

    /** User and password are letters, digits, underscores and hyphens (each provisioner makes them so): URI-safe. */
    public Credentials toCredentials() {
        String uri = (tls.enabled() ? "rediss" : "redis") + "://" + username + ":" + password + "@" + host + ":" + port;
        return new CredentialValues("redis")
                .put("uri", uri)
                .put("url", uri)
                .address(host, port)
                .login(username, password)
                .put("tls", tls.enabled())
                .put("read_only", readOnly)
                .putIfPresent("key_prefix", keyPrefix)
                .ca(tls)
                .build();
    }

    @Override
    public String toString() {
        return "RedisCredentials[" + username + "@" + host + ":" + port + ", " + tls + "]";
    }
}
