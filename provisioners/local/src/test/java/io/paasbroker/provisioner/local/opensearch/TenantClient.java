package io.paasbroker.provisioner.local.opensearch;

import io.paasbroker.provisioner.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/** OpenSearch's own Java client, connected with a binding's credentials as an application would be. */
final class TenantClient implements AutoCloseable {

    private final OpenSearchTransport transport;
    private final OpenSearchClient client;

    private TenantClient(OpenSearchTransport transport) {
        this.transport = transport;
        this.client = new OpenSearchClient(transport);
    }

    static TenantClient connect(Credentials credentials) {
        URI uri = URI.create((String) credentials.values().get("uri"));
        HttpHost host = new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort());
        BasicCredentialsProvider basic = new BasicCredentialsProvider();
        basic.setCredentials(
                new AuthScope(host),
                new UsernamePasswordCredentials(
                        (String) credentials.values().get("username"),
                        ((String) credentials.values().get("password")).toCharArray()));
        return new TenantClient(ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(new JacksonJsonpMapper())
                .setHttpClientConfigCallback(builder -> builder.setDefaultCredentialsProvider(basic))
                .build());
    }

    OpenSearchClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
