package io.paasbroker.provisioner.aws.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.provisioner.Credentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What an application does over a binding's credentials, as the suite needs it: REST requests to the domain over
 * HTTPS, verified with the binding's {@code ca_certificate}, as the binding's user.
 */
final class DomainSession {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: its status and body. */
    record Answer(int status, JsonNode body) {}

    private final HttpClient client;
    private final URI base;
    private final String authorization;

    DomainSession(Credentials credentials) {
        this(credentials, credentials);
    }

    /** As {@code login}'s user, on the domain of {@code server}'s credentials. */
    DomainSession(Credentials login, Credentials server) {
        this.client = HttpClient.newBuilder()
                .sslContext(trusting((String) server.values().get("ca_certificate")))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.base = URI.create((String) server.values().get("uris"));
        this.authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString((login.values().get("username") + ":"
                                        + login.values().get("password"))
                                .getBytes(StandardCharsets.UTF_8));
    }

    /** {@code body}: JSON, or none. */
    Answer send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = answer.body();
            return new Answer(answer.statusCode(), text.isBlank() ? null : JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The same, failing unless OpenSearch answers 2xx. */
    JsonNode expect(String method, String path, String body) {
        Answer answer = send(method, path, body);
        if (answer.status() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + ": HTTP " + answer.status() + " " + answer.body());
        }
        return answer.body();
    }

    private static SSLContext trusting(String caPem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry(
                    "ca",
                    CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the binding's CA", e);
        }
    }
}
