package io.paasbroker.it.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.it.BindingTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * OpenSearch through its own Java client, connected from the credentials as an application would be: an index prefix
 * on the broker's own node ({@link #local()}), or a domain of the aws plans against the AWS test bed ({@link #onAws}).
 */
public record OpenSearchProbe(String name, String service, String plan, boolean asynchronous) implements TenantProbe {

    /** What the probe stores: one document, one field. */
    public record Note(String value) {}

    /** The embedded default's OpenSearch plan {@code small}. */
    public static OpenSearchProbe local() {
        return new OpenSearchProbe(
                "opensearch", "8a9b0c1d-2e3f-4a5b-8c7d-9e0f1a2b3c04", "4c5d6e7f-8091-4b2c-8d3e-4f5a6b7c8d41", false);
    }

    /** An aws OpenSearch plan: a domain takes a while to make, so provisions are asynchronous. */
    public static OpenSearchProbe onAws(String service, String plan) {
        return new OpenSearchProbe("opensearch on aws", service, plan, true);
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public void write(JsonNode credentials, String value) throws IOException {
        as(
                credentials,
                client -> client.index(i -> i.index(index(credentials))
                        .id("probe")
                        .document(new Note(value))
                        .refresh(Refresh.True)));
    }

    @Override
    public String read(JsonNode credentials) throws IOException {
        String[] value = new String[1];
        as(
                credentials,
                client -> value[0] = client.get(g -> g.index(index(credentials)).id("probe"), Note.class)
                        .source()
                        .value());
        return value[0];
    }

    @Override
    public boolean canConnect(JsonNode credentials) {
        try {
            as(credentials, client -> client.search(s -> s.index(index(credentials)), Note.class));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The attacks on the victim's data are sent to the victim's server (its own domain, on aws plans) with the
     * intruder's user and password, and count as refused only when OpenSearch refuses them (401 or 403): an index the
     * request does not find there is no proof of anything.
     */
    @Override
    public Map<String, Attempt> attacks(JsonNode intruder, JsonNode victim) {
        String victimIndex = index(victim);
        JsonNode intruderAtVictim = loginAt(intruder, victim);
        Map<String, Attempt> attacks = new LinkedHashMap<>();
        attacks.put(
                "read the victim's document",
                () -> refused(
                        intruderAtVictim, c -> c.get(g -> g.index(victimIndex).id("probe"), Note.class)));
        attacks.put(
                "search the victim's index",
                () -> refused(intruderAtVictim, c -> c.search(s -> s.index(victimIndex), Note.class)));
        attacks.put(
                "write into the victim's index",
                () -> refused(
                        intruderAtVictim,
                        c -> c.index(i -> i.index(victimIndex).id("x").document(new Note("x")))));
        attacks.put(
                "delete the victim's document",
                () -> refused(
                        intruderAtVictim,
                        c -> c.delete(d -> d.index(victimIndex).id("probe"))));
        attacks.put(
                "delete the victim's index",
                () -> refused(intruderAtVictim, c -> c.indices().delete(d -> d.index(victimIndex))));
        attacks.put(
                "search every index",
                () -> as(intruder, c -> {
                    if (!c.search(s -> s.index("*"), Note.class).hits().hits().isEmpty()) {
                        throw new AssertionError("a search of every index found documents");
                    }
                    throw new IllegalStateException("nothing found, as it should be");
                }));
        attacks.put("list the indices", () -> as(intruder, c -> c.cat().indices()));
        attacks.put(
                "read the cluster state", () -> as(intruder, c -> c.cluster().state()));
        attacks.put(
                "change the cluster settings",
                () -> as(
                        intruder,
                        c -> c.cluster()
                                .putSettings(
                                        p -> p.persistent("cluster.routing.allocation.enable", JsonData.of("none")))));
        attacks.put(
                "create an index outside its prefix",
                () -> as(intruder, c -> c.indices().create(i -> i.index("elsewhere"))));
        return attacks;
    }

    /** {@code login}'s user and password, for the server of {@code server}'s credentials. */
    private static JsonNode loginAt(JsonNode login, JsonNode server) {
        ObjectNode credentials = server.deepCopy();
        credentials.set("username", login.get("username"));
        credentials.set("password", login.get("password"));
        return credentials;
    }

    /**
     * Runs {@code action}, throwing only when OpenSearch refused it (401 or 403); any other answer, an error included,
     * returns normally: the attack was not refused.
     */
    private static void refused(JsonNode credentials, Action action) throws IOException {
        try {
            as(credentials, action);
        } catch (IOException | RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                boolean refusal = cause instanceof OpenSearchException error
                        ? error.status() == 401 || error.status() == 403
                        : "Forbidden access".equals(cause.getMessage())
                                || "Unauthorized access".equals(cause.getMessage());
                if (refusal) {
                    throw e;
                }
            }
        }
    }

    private static String index(JsonNode credentials) {
        return credentials.get("index_prefix").asText() + "probe";
    }

    private interface Action {
        void run(OpenSearchClient client) throws IOException;
    }

    private static void as(JsonNode credentials, Action action) throws IOException {
        URI uri = URI.create(credentials.get("uri").asText());
        HttpHost host = new HttpHost(
                uri.getScheme(),
                credentials.get("hostname").asText(),
                credentials.get("port").asInt());
        BasicCredentialsProvider basic = new BasicCredentialsProvider();
        basic.setCredentials(
                new AuthScope(host),
                new UsernamePasswordCredentials(
                        credentials.get("username").asText(),
                        credentials.get("password").asText().toCharArray()));
        OpenSearchTransport transport = ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(new JacksonJsonpMapper())
                .setHttpClientConfigCallback(builder -> builder.setDefaultCredentialsProvider(basic)
                        .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                                .setTlsStrategy(ClientTlsStrategyBuilder.create()
                                        .setSslContext(
                                                BindingTls.of(credentials).sslContext())
                                        .build())
                                .build()))
                .build();
        try {
            action.run(new OpenSearchClient(transport));
        } finally {
            try {
                transport.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
