package io.paasbroker.opensearch.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real node in a JVM of its own: secured, restartable on its data, and never left running. */
@Timeout(300)
class OpenSearchNodeIT {

    private static final Path DISTRIBUTIONS = Path.of("target", "opensearch-distributions");

    private Path home;

    @BeforeEach
    void createHome() throws IOException {
        home = Files.createTempDirectory("paasbroker-opensearch-node-it");
    }

    @AfterEach
    void removeHome() throws IOException {
        OpenSearchNode.stopStale(home);
        try (Stream<Path> tree = Files.walk(home)) {
            tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void answersItsAdministratorOverHttpsWithItsOwnCaAndNobodyElse() throws Exception {
        try (OpenSearchNode node = builder().https(true).start()) {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(node.trustingSslContext())
                    .build();

            assertThat(node.uri().toString()).startsWith("https://127.0.0.1:");
            assertThat(get(client, node.uri(), node.adminUsername(), node.adminPassword()))
                    .contains("\"number\" : \"" + OpenSearchNode.OPENSEARCH_VERSION + "\"");
            assertThat(status(client, node.uri(), null, null)).isEqualTo(401);
            assertThat(status(client, node.uri(), node.adminUsername(), "Wrong-password-123456"))
                    .isEqualTo(401);
            assertThat(Files.readString(home.resolve("config/opensearch.yml"))).contains("network.host: 127.0.0.1");
        }
        assertThat(Files.exists(home.resolve("opensearch.pid"))).isFalse();
    }

    @Test
    void aNodeLeftRunningIsStoppedByTheNextStartWhichKeepsItsDataAndPassword() throws Exception {
        OpenSearchNode first = builder().stopWithParent(false).start();
        HttpClient client = HttpClient.newHttpClient();
        send(client, "PUT", first.uri().resolve("/kept-index"), first.adminUsername(), first.adminPassword());

        String rotated = "Rotated-admin-password-42";
        try (OpenSearchNode second = builder().start()) {
            assertThat(first.isRunning()).as("the node left running").isFalse();
            assertThat(second.pid()).isNotEqualTo(first.pid());
            assertThat(second.adminPassword()).isEqualTo(first.adminPassword());
            assertThat(status(
                            client,
                            second.uri().resolve("/kept-index"),
                            second.adminUsername(),
                            second.adminPassword()))
                    .isEqualTo(200);
            HttpResponse<String> changed = send(
                    client,
                    "PUT",
                    second.uri().resolve("/_plugins/_security/api/account"),
                    second.adminUsername(),
                    second.adminPassword(),
                    "{\"current_password\":\"" + second.adminPassword() + "\",\"password\":\"" + rotated + "\"}");
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        }

        try (OpenSearchNode third = builder().adminPassword(rotated).start()) {
            assertThat(status(client, third.uri(), third.adminUsername(), rotated))
                    .isEqualTo(200);
            assertThat(Files.readString(home.resolve("admin-password"))).isEqualTo(rotated);
        }
    }

    @Test
    void stopsByItselfWhenTheJvmThatStartedItIsKilled() throws Exception {
        Process parent = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        NodeStarter.class.getName(),
                        home.toString(),
                        DISTRIBUTIONS.toAbsolutePath().toString()))
                .redirectErrorStream(true)
                .start();
        long nodePid;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("started "));
            assertThat(line).as("the parent's report").isNotNull();
            nodePid = Long.parseLong(line.substring("started ".length()));
        }
        ProcessHandle nodeProcess = ProcessHandle.of(nodePid).orElseThrow();

        parent.destroyForcibly().waitFor();

        nodeProcess.onExit().get(60, TimeUnit.SECONDS);
        assertThat(nodeProcess.isAlive()).isFalse();
    }

    private OpenSearchNode.Builder builder() {
        return OpenSearchNode.builder(home).distributions(DISTRIBUTIONS);
    }

    private static String get(HttpClient client, URI uri, String user, String password) throws Exception {
        return send(client, "GET", uri, user, password).body();
    }

    private static int status(HttpClient client, URI uri, String user, String password) throws Exception {
        return send(client, "GET", uri, user, password).statusCode();
    }

    private static HttpResponse<String> send(HttpClient client, String method, URI uri, String user, String password)
            throws Exception {
        return send(client, method, uri, user, password, null);
    }

    private static HttpResponse<String> send(
            HttpClient client, String method, URI uri, String user, String password, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (user != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
