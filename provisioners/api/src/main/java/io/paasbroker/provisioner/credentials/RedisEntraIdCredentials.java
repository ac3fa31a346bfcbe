package io.paasbroker.provisioner.credentials;

import io.paasbroker.provisioner.Credentials;

/**
 * A Redis binding's credentials where the server takes Microsoft Entra ID logins and no passwords of its own (Azure
 * Managed Redis): the binding is the application's own identity (its managed identity or service principal), let in
 * by the broker. The application logs in as {@code username} (the identity's object id) with an access token it gets
 * for {@code entra_id_scope}, and logs in again with a fresh token before the last one expires: Entra-aware Redis
 * clients do both. There is no password to read, so {@code uri} has none, and a client that only reads a URI is
 * refused until it is given a token.
 *
 * @param host where applications connect
 * @param port its TLS port
 * @param objectId the object id of the application's identity: its Redis user name
 * @param tls how to verify the server
 */
public record RedisEntraIdCredentials(String host, int port, String objectId, ServerTls tls) {

    /** The scope of the tokens Azure Managed Redis takes, in every Azure cloud. */
    public static final String SCOPE = "https://redis.azure.com/.default";

    public Credentials toCredentials() {
        String uri = "rediss://" + objectId + "@" + host + ":" + port;
        return new CredentialValues("redis")
                .put("uri", uri)
                .put("url", uri)
                .address(host, port)
                .put("username", objectId)
                .put("authentication", "entra-id")
                .put("entra_id_scope", SCOPE)
                .put("tls", true)
                .put("read_only", false)
                .ca(tls)
                .build();
    }

    @Override
    public String toString() {
        return "RedisEntraIdCredentials[" + objectId + "@" + host + ":" + port + ", " + tls + "]";
    }
}
