package io.paasbroker.provisioner.local.opensearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.common.ServerAdmin;
import io.paasbroker.provisioner.local.common.ServerFailures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Administrative access to one OpenSearch cluster over its REST API, as the admin user: the security plugin's REST
 * API for roles, role mappings and internal users, and the index API. Every request is bounded by the server's
 * connect timeout. The admin's password can change while it serves: every request authenticates, so the admin's
 * requests wait while the password changes, and none is sent with a password the cluster no longer takes.
 */
final class OpenSearchAdmin implements ServerAdmin {

    /** Decimals as written ({@code 1.10} stays {@code 1.10}): documents pass through it into backups. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private static final String SECURITY_API = "/_plugins/_security/api/";
    /** How often a security configuration write that raced another is sent before it counts as refused. */
    private static final int SECURITY_WRITE_ATTEMPTS = 12;

    /** Answers of a cluster that is starting, overloaded or has no elected manager: worth retrying. */
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 502, 503, 504);

    /** Concrete index names per DELETE, to keep the request line short. */
    private static final int DELETE_BATCH = 50;

    /** How long a scroll waits for its next page, which comes once the last one is written to the backup. */
    private static final String SCROLL_KEEP_ALIVE = "5m";

    /** An answer: its status and its body, parsed when it is JSON. */
    record Answer(int status, JsonNode body) {}

    /** A request body of newline-delimited JSON, as the bulk API takes it. */
    private record Ndjson(byte[] lines) {}

    private final OpenSearchServer server;
    private final HttpClient client;
    private final URI base;
    private volatile String password;
    private final ReadWriteLock passwordChange = new ReentrantReadWriteLock();

    OpenSearchAdmin(OpenSearchServer server) {
        this.server = server;
        this.password = server.adminPassword();
        this.base = URI.create(server.scheme() + "://" + server.host() + ":" + server.port());
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(server.connectTimeout());
        if (server.caCertificatePem() != null && !server.caCertificatePem().isBlank()) {
            builder.sslContext(trusting(server.caCertificatePem()));
        }
        this.client = builder.build();
    }

    OpenSearchServer server() {
        return server;
    }

    @Override
    public ServerTls tls() {
        return server.tls();
    }

    // --- the security plugin's objects

    /** Creates or replaces; re-running it changes nothing further. */
    void putRole(String role, Map<String, Object> definition) {
        expect("writing role '" + role + "'", send("PUT", SECURITY_API + "roles/" + role, definition), 200, 201);
    }

    void putRoleMapping(String role, Map<String, Object> mapping) {
        expect(
                "writing the mapping of role '" + role + "'",
                send("PUT", SECURITY_API + "rolesmapping/" + role, mapping),
                200,
                201);
    }

    /** Creates or replaces the user: a new password, the given backend roles. */
    void putUser(String user, String userPassword, List<String> backendRoles) {
        expect(
                "writing internal user '" + user + "'",
                send(
                        "PUT",
                        SECURITY_API + "internalusers/" + user,
                        Map.of("password", userPassword, "backend_roles", backendRoles)),
                200,
                201);
    }

    /** Deletes what exists; a name that is gone already is no error. */
    void deleteUser(String user) {
        expect(
                "deleting internal user '" + user + "'",
                send("DELETE", SECURITY_API + "internalusers/" + user),
                200,
                404);
    }

    void deleteRoleMapping(String role) {
        expect(
                "deleting the mapping of role '" + role + "'",
                send("DELETE", SECURITY_API + "rolesmapping/" + role),
                200,
                404);
    }

    void deleteRole(String role) {
        expect("deleting role '" + role + "'", send("DELETE", SECURITY_API + "roles/" + role), 200, 404);
    }

    List<String> usersStartingWith(String prefix) {
        JsonNode users = expect("listing internal users", send("GET", SECURITY_API + "internalusers"), 200)
                .body();
        List<String> names = new ArrayList<>();
        users.fieldNames().forEachRemaining(name -> {
            if (name.startsWith(prefix)) {
                names.add(name);
            }
        });
        return names.stream().sorted().toList();
    }

    // --- indices

    /**
     * The concrete indices whose names start with {@code prefix}, hidden and closed ones included. The wildcard the
     * request asks with also matches aliases, which may point at any index: only names with the prefix count.
     */
    List<String> indicesWithPrefix(String prefix) {
        return catIndices(prefix).stream()
                .map(row -> row.path("index").asText())
                .sorted()
                .toList();
    }

    /** Of the indices whose names start with {@code prefix}, those that are closed. */
    Set<String> closedIndicesWithPrefix(String prefix) {
        return catIndices(prefix).stream()
                .filter(row -> row.path("status").asText().equals("close"))
                .map(row -> row.path("index").asText())
                .collect(Collectors.toSet());
    }

    private List<JsonNode> catIndices(String prefix) {
        JsonNode rows = expect(
                        "listing the instance's indices",
                        send("GET", "/_cat/indices/" + prefix + "*?format=json&h=index,status&expand_wildcards=all"),
                        200,
                        404)
                .body();
        List<JsonNode> list = new ArrayList<>();
        if (rows != null && rows.isArray()) {
            rows.forEach(row -> {
                if (row.path("index").asText().startsWith(prefix)) {
                    list.add(row);
                }
            });
        }
        return list;
    }

    /**
     * The indices whose names start with {@code prefix}, hidden and closed ones included, by name, each with its
     * {@code aliases}, {@code mappings} and {@code settings} (flat: {@code index.analysis.analyzer.<name>.type}).
     */
    Map<String, JsonNode> indexDefinitionsWithPrefix(String prefix) {
        JsonNode answer = expect(
                        "reading the instance's index definitions",
                        send("GET", "/" + prefix + "*?expand_wildcards=all&flat_settings=true"),
                        200)
                .body();
        Map<String, JsonNode> definitions = new TreeMap<>();
        answer.fields().forEachRemaining(index -> {
            if (index.getKey().startsWith(prefix)) {
                definitions.put(index.getKey(), index.getValue());
            }
        });
        return definitions;
    }

    /** {@code body} holds its settings, mappings and aliases. */
    void createIndex(String index, JsonNode body) {
        expect("creating index '" + index + "'", send("PUT", "/" + inPath(index), body), 200);
    }

    void putSettings(String index, JsonNode settings) {
        expect(
                "writing the settings of index '" + index + "'",
                send("PUT", "/" + inPath(index) + "/_settings", settings),
                200);
    }

    /** Once its primary shard is active, so it can be searched. */
    void openIndex(String index) {
        expect("opening index '" + index + "'", send("POST", "/" + inPath(index) + "/_open"), 200);
    }

    void closeIndex(String index) {
        expect("closing index '" + index + "'", send("POST", "/" + inPath(index) + "/_close"), 200);
    }

    void refresh(String index) {
        expect("refreshing index '" + index + "'", send("POST", "/" + inPath(index) + "/_refresh"), 200);
    }

    /**
     * Hands each document of {@code index} ({@code _id}, {@code _routing}, {@code _source}) to {@code each}, in pages of
     * {@code batch} through a scroll, which is cleared at the end. A page that misses a shard fails: it would leave
     * documents out.
     */
    void eachDocument(String index, int batch, Consumer<JsonNode> each) {
        String doing = "reading the documents of index '" + index + "'";
        JsonNode page = expect(
                        doing,
                        send(
                                "POST",
                                "/" + inPath(index) + "/_search?scroll=" + SCROLL_KEEP_ALIVE,
                                Map.of("size", batch, "sort", List.of("_doc"))),
                        200)
                .body();
        try {
            while (wholePage(doing, page).path("hits").path("hits").size() > 0) {
                page.path("hits").path("hits").forEach(each);
                page = expect(
                                doing,
                                send(
                                        "POST",
                                        "/_search/scroll",
                                        Map.of("scroll", SCROLL_KEEP_ALIVE, "scroll_id", scrollId(page))),
                                200)
                        .body();
            }
        } finally {
            clearScroll(scrollId(page));
        }
    }

    private JsonNode wholePage(String doing, JsonNode page) {
        int failed = page.path("_shards").path("failed").asInt();
        if (failed > 0) {
            throw failure(doing, failed + " shard(s) failed to answer", true, null);
        }
        return page;
    }

    private static String scrollId(JsonNode page) {
        return page.path("_scroll_id").asText(null);
    }

    /** Best effort: a scroll that stays open ends by itself after its keep-alive. */
    private void clearScroll(String scrollId) {
        if (scrollId == null) {
            return;
        }
        try {
            send("DELETE", "/_search/scroll", Map.of("scroll_id", List.of(scrollId)));
        } catch (ProvisionerException e) {
            // expires on its own
        }
    }

    /**
     * Indexes the documents of {@code ndjson} (action and source lines) into {@code index}. A refused document fails
     * it, named by its id and the kind of error: the server's reason may quote the document's values.
     */
    void bulk(String index, byte[] ndjson) {
        String doing = "indexing documents into index '" + index + "'";
        JsonNode answer = expect(doing, send("POST", "/" + inPath(index) + "/_bulk", new Ndjson(ndjson)), 200)
                .body();
        if (!answer.path("errors").asBoolean()) {
            return;
        }
        for (JsonNode item : answer.path("items")) {
            JsonNode result = item.elements().next();
            if (result.has("error")) {
                int status = result.path("status").asInt();
                throw failure(
                        doing,
                        "document '" + result.path("_id").asText() + "' refused: HTTP " + status + " "
                                + result.path("error").path("type").asText(),
                        TRANSIENT_STATUSES.contains(status),
                        null);
            }
        }
    }

    /**
     * Deletes the indices by their names: a cluster with {@code action.destructive_requires_name} refuses a wildcard
     * in DELETE. An index deleted meanwhile is no error.
     */
    void deleteIndices(List<String> indices) {
        for (int from = 0; from < indices.size(); from += DELETE_BATCH) {
            String names = indices.subList(from, Math.min(indices.size(), from + DELETE_BATCH)).stream()
                    .map(OpenSearchAdmin::inPath)
                    .collect(Collectors.joining(","));
            expect(
                    "deleting the instance's indices",
                    send("DELETE", "/" + names + "?ignore_unavailable=true&expand_wildcards=all"),
                    200,
                    404);
        }
    }

    // --- the server

    /** The version the server reports, answered only when it is up and takes the admin's credentials. */
    String version() {
        return expect("checking the server", send("GET", "/"), 200)
                .body()
                .path("version")
                .path("number")
                .asText("unknown");
    }

    /** Whether the server answers {@code GET /} to a request without credentials. */
    boolean answersAnonymously() {
        return send("GET", "/", null, null).status() == 200;
    }

    @Override
    public boolean acceptsPassword(String candidate) {
        int status =
                send("GET", "/_plugins/_security/authinfo", null, candidate).status();
        if (status == 200) {
            return true;
        }
        if (status == 401) {
            return false;
        }
        throw failure("checking an admin password", "HTTP " + status, TRANSIENT_STATUSES.contains(status), null);
    }

    /** Through the account API: the admin changes its own password, so no other user's rights are needed. */
    @Override
    public void changePassword(String newPassword) {
        passwordChange.writeLock().lock();
        try {
            expect(
                    "changing the admin's password",
                    send(
                            "PUT",
                            SECURITY_API + "account",
                            Map.of("current_password", password, "password", newPassword)),
                    200);
            usePassword(newPassword);
        } finally {
            passwordChange.writeLock().unlock();
        }
    }

    @Override
    public void usePassword(String newPassword) {
        password = newPassword;
    }

    @Override
    public void close() {
        // HttpClient has no close on Java 17; its threads end when it is unreachable
    }

    // --- requests

    Answer send(String method, String path) {
        return send(method, path, null);
    }

    /**
     * The security plugin versions its configuration and refuses (409) a write that raced another one; the writes
     * here are whole definitions or deletions, so the same request is simply sent again.
     */
    Answer send(String method, String path, Object body) {
        Answer answer = sendAsAdmin(method, path, body);
        for (int attempt = 1;
                answer.status() == 409 && path.startsWith(SECURITY_API) && attempt < SECURITY_WRITE_ATTEMPTS;
                attempt++) {
            pause(ThreadLocalRandom.current().nextLong(20, 100L * attempt));
            answer = sendAsAdmin(method, path, body);
        }
        return answer;
    }

    /** One request with the admin's password, not while the password changes (the change's own request excepted). */
    private Answer sendAsAdmin(String method, String path, Object body) {
        passwordChange.readLock().lock();
        try {
            return send(method, path, body, password);
        } finally {
            passwordChange.readLock().unlock();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One request; {@code credentials} null sends none. Failing to reach the server is worth retrying. */
    private Answer send(String method, String path, Object body, String credentials) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(server.connectTimeout())
                .header("Accept", "application/json");
        if (credentials != null) {
            request.header("Authorization", basic(server.adminUsername(), credentials));
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else if (body instanceof Ndjson ndjson) {
            request.header("Content-Type", "application/x-ndjson")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(ndjson.lines()));
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json(body)));
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), parse(response.body()));
        } catch (IOException e) {
            throw failure(method + " " + withoutQuery(path), ServerFailures.rootReason(e), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(method + " " + withoutQuery(path), "interrupted", true, e);
        }
    }

    /**
     * The answer when its status is one of {@code expected}; otherwise a failure naming the server's reason. A cluster
     * that is starting, overloaded or failing over may answer the same request later; anything else it would refuse
     * again.
     */
    Answer expect(String doing, Answer answer, int... expected) {
        for (int status : expected) {
            if (answer.status() == status) {
                return answer;
            }
        }
        throw failure(doing, reason(answer), TRANSIENT_STATUSES.contains(answer.status()), null);
    }

    private ProvisionerException failure(String doing, String reason, boolean mayPass, Throwable cause) {
        return ServerFailures.failure(doing, "OpenSearch server '" + server.name() + "'", reason, mayPass, cause);
    }

    /**
     * The status and the server's own words: {@code error.reason} of the index API, {@code message} of the security
     * API. Neither echoes a request's body, so no password travels into a message.
     */
    private static String reason(Answer answer) {
        JsonNode body = answer.body();
        String text = null;
        if (body != null) {
            JsonNode error = body.path("error");
            if (error.isObject()) {
                text = error.path("reason").asText(null);
            } else if (error.isTextual()) {
                text = error.asText();
            }
            if (text == null) {
                text = body.path("message").asText(null);
            }
        }
        return "HTTP " + answer.status() + (text == null ? "" : ": " + text);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request body of maps and lists is always JSON", e);
        }
    }

    /** An index name as a path segment: names may hold characters a URI does not ({@code %}, {@code {}, ...). */
    static String inPath(String index) {
        return URLEncoder.encode(index, StandardCharsets.UTF_8);
    }

    private static String withoutQuery(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    static String basic(String username, String password) {
        return "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Trusts exactly the certificates in {@code pem} (one or more), instead of the JVM's trust store. */
    static SSLContext trusting(String pem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            Iterator<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .iterator();
            for (int i = 0; certificates.hasNext(); i++) {
                trust.setCertificateEntry("ca-" + i, certificates.next());
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the CA certificate of an OpenSearch server is no PEM certificate", e);
        }
    }
}
