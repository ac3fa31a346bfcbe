package io.paasbroker.broker.credentials;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A stateful stand-in for Vault's HTTP API on 127.0.0.1, at a free port, so the store's calls are tested against
 * Vault's semantics rather than against mocks of the driver: tokens checked on every request, AppRole login with
 * tokens that expire after their lease, KV version 2 engines keeping every version with soft delete and destroy,
 * secrets kept apart per namespace. It records every request, and lets tests look at what it holds.
 */
final class FakeVaultServer {

    /** The root namespace, where requests without {@code X-Vault-Namespace} go. */
    static final String ROOT_NAMESPACE = "";

    /** One request as received, with the status answered; header names match ignoring case, as in HTTP. */
    record RecordedRequest(String method, String path, Map<String, String> headers, int status) {

        String header(String name) {
            return headers.get(name);
        }
    }

    private record Reply(int status, JsonObject body) {

        static Reply errors(int status, String... errors) {
            JsonObject body = Json.object();
            body.add("errors", Json.array(errors));
            return new Reply(status, body);
        }

        static Reply ok(JsonObject body) {
            return new Reply(200, body);
        }

        static Reply noContent() {
            return new Reply(204, null);
        }
    }

    private record SecretKey(String namespace, String mount, String path) {}

    /** One version of a KV v2 secret; a soft-deleted version keeps its data, as Vault does until it is destroyed. */
    private record Version(int number, JsonObject data, Instant createdAt, boolean softDeleted) {}

    private record AppRole(String roleId, String secretId, Duration lease) {}

    /** A token and until when it is valid; {@link Instant#MAX} for tokens that never expire. */
    private record Token(Instant expiresAt, String path, boolean issuedByLogin) {}

    private final HttpServer server;
    private final Clock clock;
    private final Set<String> kvMounts = new TreeSet<>(Set.of("secret"));
    private final Map<String, AppRole> appRoles = new HashMap<>();
    private final Map<String, Token> tokens = new HashMap<>();
    private final Map<SecretKey, List<Version>> secrets = new HashMap<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private int tokensIssued;
    private boolean stopped;

    private FakeVaultServer(Clock clock) throws IOException {
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
    }

    /** Starts a fake with a KV version 2 engine at {@code secret}, as Vault's dev server has; time comes from clock. */
    static FakeVaultServer start(Clock clock) {
        try {
            FakeVaultServer fake = new FakeVaultServer(clock);
            fake.server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Stops answering; tests may stop the fake themselves before the teardown does. */
    synchronized void stop() {
        if (!stopped) {
            stopped = true;
            server.stop(0);
        }
    }

    /** Accepts {@code token} from now on, without expiry, like a token an operator created for the broker. */
    synchronized void addToken(String token) {
        tokens.put(token, new Token(Instant.MAX, "auth/token/create", false));
    }

    synchronized void mountKvVersion2(String mount) {
        kvMounts.add(mount);
    }

    /** Enables AppRole login at {@code mount} for exactly this pair; tokens it issues expire after {@code lease}. */
    synchronized void enableAppRole(String mount, String roleId, String secretId, Duration lease) {
        appRoles.put(mount, new AppRole(roleId, secretId, lease));
    }

    /** Revokes every token AppRole logins issued so far, as an operator revoking the role's tokens would. */
    synchronized void revokeLoginTokens() {
        tokens.values().removeIf(Token::issuedByLogin);
    }

    synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** How many versions of the secret are stored in the root namespace, soft-deleted ones included. */
    int versionsStored(String mount, String path) {
        return versionsStored(ROOT_NAMESPACE, mount, path);
    }

    /** How many versions of the secret are stored in {@code namespace}, soft-deleted ones included. */
    synchronized int versionsStored(String namespace, String mount, String path) {
        List<Version> versions = secrets.get(new SecretKey(namespace, mount, path));
        return versions == null ? 0 : versions.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Reply reply;
            synchronized (this) {
                reply = answer(method, path, exchange.getRequestHeaders(), body);
                requests.add(new RecordedRequest(method, path, Collections.unmodifiableMap(headers), reply.status()));
            }
            send(exchange, reply);
        }
    }

    private Reply answer(String method, String path, Headers headers, String body) {
        try {
            if (method.equals("POST") && path.startsWith("/v1/auth/") && path.endsWith("/login")) {
                return logIn(path.substring("/v1/auth/".length(), path.length() - "/login".length()), body);
            }
            String token = headers.getFirst("X-Vault-Token");
            if (!valid(token)) {
                return Reply.errors(403, "permission denied");
            }
            if (path.equals("/v1/auth/token/lookup-self") && method.equals("GET")) {
                return lookUp(token);
            }
            String namespace = headers.containsKey("X-Vault-Namespace")
                    ? headers.getFirst("X-Vault-Namespace").replaceAll("^/+|/+$", "")
                    : ROOT_NAMESPACE;
            return kv(method, namespace, path.substring("/v1/".length()), body);
        } catch (RuntimeException e) {
            return Reply.errors(400, "failed to parse JSON input: " + e.getMessage());
        }
    }

    private boolean valid(String token) {
        Token known = token == null ? null : tokens.get(token);
        return known != null && clock.instant().isBefore(known.expiresAt());
    }

    private Reply logIn(String mount, String body) {
        AppRole role = appRoles.get(mount);
        if (role == null) {
            return Reply.errors(404, "no handler for route \"auth/" + mount + "/login\"");
        }
        JsonObject credentials = Json.parse(body).asObject();
        if (!role.roleId().equals(credentials.getString("role_id", null))
                || !role.secretId().equals(credentials.getString("secret_id", null))) {
            return Reply.errors(400, "invalid role or secret ID");
        }
        String token = "hvs.fake-approle-" + ++tokensIssued;
        tokens.put(token, new Token(clock.instant().plus(role.lease()), "auth/" + mount + "/login", true));
        JsonObject auth = Json.object()
                .add("client_token", token)
                .add("accessor", "accessor-" + tokensIssued)
                .add("policies", Json.array("default", "paasbroker"))
                .add("token_policies", Json.array("default", "paasbroker"))
                .add("metadata", Json.object().add("role_name", "paasbroker"))
                .add("lease_duration", role.lease().toSeconds())
                .add("renewable", true)
                .add("token_type", "service")
                .add("orphan", true);
        return Reply.ok(envelope().add("auth", auth));
    }

    private Reply lookUp(String token) {
        Token known = tokens.get(token);
        long ttl = known.expiresAt().equals(Instant.MAX)
                ? 0
                : Duration.between(clock.instant(), known.expiresAt()).toSeconds();
        JsonObject data = Json.object()
                .add("accessor", "accessor-of-" + known.path())
                .add("creation_time", clock.instant().getEpochSecond())
                .add("creation_ttl", ttl)
                .add("display_name", known.path())
                .add("explicit_max_ttl", 0)
                .add("id", token)
                .add("num_uses", 0)
                .add("orphan", true)
                .add("path", known.path())
                .add("policies", Json.array("default"))
                .add("renewable", known.issuedByLogin())
                .add("ttl", ttl);
        return Reply.ok(envelope().add("data", data));
    }

    private Reply kv(String method, String namespace, String path, String body) {
        for (String mount : kvMounts) {
            if (path.startsWith(mount + "/data/")) {
                SecretKey key = new SecretKey(namespace, mount, path.substring((mount + "/data/").length()));
                return switch (method) {
                    case "GET" -> read(key);
                    case "POST", "PUT" -> write(key, body);
                    case "DELETE" -> softDelete(key);
                    default -> Reply.errors(405, "unsupported operation");
                };
            }
            if (path.startsWith(mount + "/metadata/")) {
                SecretKey key = new SecretKey(namespace, mount, path.substring((mount + "/metadata/").length()));
                return method.equals("DELETE") ? destroy(key) : Reply.errors(405, "unsupported operation");
            }
        }
        return Reply.errors(404, "no handler for route \"" + path + "\". route entry not found.");
    }

    private Reply read(SecretKey key) {
        List<Version> versions = secrets.getOrDefault(key, List.of());
        if (versions.isEmpty() || versions.get(versions.size() - 1).softDeleted()) {
            return Reply.errors(404);
        }
        Version latest = versions.get(versions.size() - 1);
        JsonObject data = Json.object().add("data", latest.data()).add("metadata", metadata(latest));
        return Reply.ok(envelope().add("data", data));
    }

    private Reply write(SecretKey key, String body) {
        JsonValue data = Json.parse(body).asObject().get("data");
        if (data == null || !data.isObject()) {
            return Reply.errors(400, "no data provided");
        }
        List<Version> versions = secrets.computeIfAbsent(key, k -> new ArrayList<>());
        Version written = new Version(versions.size() + 1, data.asObject(), clock.instant(), false);
        versions.add(written);
        return Reply.ok(envelope().add("data", metadata(written)));
    }

    private Reply softDelete(SecretKey key) {
        List<Version> versions = secrets.getOrDefault(key, List.of());
        if (!versions.isEmpty()) {
            Version latest = versions.get(versions.size() - 1);
            versions.set(versions.size() - 1, new Version(latest.number(), latest.data(), latest.createdAt(), true));
        }
        return Reply.noContent();
    }

    private Reply destroy(SecretKey key) {
        secrets.remove(key);
        return Reply.noContent();
    }

    private static JsonObject metadata(Version version) {
        return Json.object()
                .add("version", version.number())
                .add("created_time", version.createdAt().toString())
                .add("deletion_time", "")
                .add("destroyed", false)
                .add("custom_metadata", Json.NULL);
    }

    private static JsonObject envelope() {
        return Json.object()
                .add("request_id", "fake-request")
                .add("lease_id", "")
                .add("renewable", false)
                .add("lease_duration", 0);
    }

    /** Vault answers {@code application/json} exactly; the driver refuses login and lookup answers of other types. */
    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        if (reply.body() == null) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        byte[] bytes = reply.body().toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
