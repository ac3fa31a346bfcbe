package io.paasbroker.aws.testbed.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.paasbroker.opensearch.node.OpenSearchNode;
import io.paasbroker.testbed.LoopbackServers;
import io.paasbroker.testbed.TestBedCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTPS front of a domain's node, on its own loopback port with the test bed's certificate: what OpenSearch
 * Service's endpoint is to a domain with IAM and fine-grained access control. A request with basic authentication
 * (the master user, a binding's user) reaches the node as it came. A request signed with SigV4 (service {@code es})
 * is its signer's: the test bed's user, or a role's session with the role as backend role ({@link FakeSts#callerOf});
 * it reaches the snapshot API only, only when the node maps its signer to {@code manage_snapshots} or
 * {@code all_access}, and then as the node's administrator. An {@code s3} repository it registers becomes an
 * {@code fs} one in a bucket kept on disk ({@link S3RepositoryOnDisk}). The IAM actions signed requests need
 * ({@code es:ESHttpPut}, {@code iam:PassRole}) are recorded for the key.
 */
final class SearchDomainGateway implements AutoCloseable {

    private static final Set<String> SNAPSHOT_ROLES = Set.of("manage_snapshots", "all_access");
    private static final List<String> FORWARDED_HEADERS = List.of("Content-Type", "Accept");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final OpenSearchNode node;
    private final NodeAdmin admin;
    private final SigV4Check signatures;
    private final FakeSts callers;
    private final S3RepositoryOnDisk repositories;
    private final PermissionsUsed permissions;
    private final HttpClient client;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-opensearch-gateway");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpsServer server;

    /** {@code signatures}: the check of the domain's region and service {@code es}. */
    SearchDomainGateway(
            OpenSearchNode node,
            TestBedCertificates certificates,
            SigV4Check signatures,
            ManualSnapshots snapshots,
            PermissionsUsed permissions) {
        this.node = node;
        this.admin = new NodeAdmin(node);
        this.signatures = signatures;
        this.callers = snapshots.sts();
        this.repositories = new S3RepositoryOnDisk(snapshots);
        this.permissions = permissions;
        this.client = HttpClient.newBuilder()
                .sslContext(node.trustingSslContext())
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        this.server = LoopbackServers.startHttps(
                "opensearch-domain", this::exchange, certificates.serverSslContext(), threads);
    }

    /** {@code 127.0.0.1:<port>}, as OpenSearch Service reports a domain's endpoint (a host, no scheme). */
    String endpoint() {
        return node.host() + ":" + server.getAddress().getPort();
    }

    OpenSearchNode node() {
        return node;
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            HttpResponse<byte[]> answer;
            try {
                if (authorization != null && authorization.startsWith("AWS4-HMAC-SHA256")) {
                    String keyId = signatures.check(method, rawPath, rawQuery, exchange.getRequestHeaders(), body);
                    body = authorizeSigned(keyId, method, rawPath, body);
                    authorization = admin.authorization();
                }
                answer = forward(exchange, method, rawPath, rawQuery, body, authorization);
            } catch (AwsFault fault) {
                refuse(exchange, SearchRefusal.byAws(fault.status(), "message", fault.getMessage()));
                return;
            } catch (SearchRefusal refusal) {
                refuse(exchange, refusal);
                return;
            } catch (IOException e) {
                refuse(exchange, SearchRefusal.byAws(502, "message", "the domain's node did not answer: " + e));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                refuse(exchange, SearchRefusal.byAws(500, "message", "the test bed failed: " + e));
                return;
            }
            answer.headers()
                    .firstValue("Content-Type")
                    .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            send(exchange, answer.statusCode(), answer.body());
        }
    }

    /**
     * What fine-grained access control decides of a signed request: its signer mapped to a role that may manage
     * snapshots, and a path of the snapshot API. Answers the body to send on.
     */
    private byte[] authorizeSigned(String keyId, String method, String rawPath, byte[] body) {
        permissions.add(
                keyId, "es:ESHttp" + method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT));
        FakeSts.Caller caller = callers.callerOf(keyId);
        List<String> backendRoles = caller.roleArn().stream().toList();
        Optional<String> action = SnapshotActions.of(method, rawPath);
        if (action.isEmpty() || !admin.mapsToAnyOf(SNAPSHOT_ROLES, caller.arn(), backendRoles)) {
            throw SearchRefusal.byOpenSearch(
                    403,
                    "security_exception",
                    "no permissions for [" + action.orElse(method + " " + rawPath) + "] and User [name=" + caller.arn()
                            + ", backend_roles=" + backendRoles + ", requestedTenant=null]");
        }
        Optional<String> registered = SnapshotActions.registeredRepository(method, rawPath);
        if (registered.isEmpty()) {
            return body;
        }
        permissions.add(keyId, "iam:PassRole");
        return repositories.rewrite(registered.get(), body, caller.arn());
    }

    private HttpResponse<byte[]> forward(
            HttpExchange exchange, String method, String rawPath, String rawQuery, byte[] body, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(node.uri() + rawPath + (rawQuery == null ? "" : "?" + rawQuery)))
                .timeout(REQUEST_TIMEOUT)
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (String header : FORWARDED_HEADERS) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void refuse(HttpExchange exchange, SearchRefusal refusal) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        send(exchange, refusal.status(), refusal.body());
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean empty = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            exchange.getResponseBody().write(body);
        }
    }

    /** Stops serving; the node is its pool's to stop. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
