package io.paasbroker.azure.testbed.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.paasbroker.testbed.LoopbackServers;
import io.paasbroker.testbed.TestBedCertificates;
import io.paasbroker.testbed.Violations;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake of Microsoft Entra ID's token endpoint over HTTPS, as the Azure SDK's credentials (MSAL) call it: a service
 * principal's client credentials grant ({@code POST /<tenant>/oauth2/v2.0/token}) answers an opaque bearer token for
 * the principal, and the OpenID configuration of the tenant answers where that endpoint is. Anything else it is sent is
 * a violation. It keeps each token's scope and expiry, and tells its listeners of each token it issues: a data plane
 * that takes Entra tokens as passwords (Azure Managed Redis) learns of them so.
 */
public final class FakeEntraId implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token");
    private static final Pattern OPENID = Pattern.compile("/([^/]+)/v2\\.0/\\.well-known/openid-configuration");
    private static final long LIFETIME_SECONDS = 3600;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A service principal: its application's client id and secret, and its object id (what roles are given to). */
    public record Principal(String tenantId, String clientId, String clientSecret, String objectId) {

        @Override
        public String toString() {
            return "Principal[" + clientId + " in " + tenantId + "]";
        }
    }

    /** A token the fake issued: to whom, for what scope (as asked: scopes apart by spaces), and until when. */
    public record IssuedToken(Principal principal, String token, String scope, Instant expires) {

        /** Whether it was asked for {@code wanted}, among its scopes. */
        public boolean isFor(String wanted) {
            return Arrays.asList(scope.trim().split("\\s+")).contains(wanted);
        }

        public boolean expired() {
            return !Instant.now().isBefore(expires);
        }

        @Override
        public String toString() {
            return "IssuedToken[" + principal + " for " + scope + " until " + expires + "]";
        }
    }

    private final HttpsServer server;
    private final Map<String, Principal> principals = new ConcurrentHashMap<>();
    private final Map<String, IssuedToken> tokens = new ConcurrentHashMap<>();
    private final List<Consumer<IssuedToken>> listeners = new CopyOnWriteArrayList<>();
    private final Violations violations;

    public FakeEntraId(TestBedCertificates certificates, Violations violations) {
        this.violations = violations;
        this.server = LoopbackServers.startHttps("Entra ID", this::handle, certificates.serverSslContext(), null);
    }

    /** The authority host credentials are pointed at: {@code https://127.0.0.1:<port>/}. */
    public URI authorityHost() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** A new service principal of {@code tenantId} that may log in. */
    public Principal register(String tenantId) {
        Principal principal = new Principal(tenantId, uuid(), HexFormat.of().formatHex(bytes(24)), uuid());
        principals.put(principal.clientId(), principal);
        return principal;
    }

    /** The principal a bearer token was issued to, while it is one this fake issued and has not expired. */
    public Optional<Principal> holder(String token) {
        return Optional.ofNullable(tokens.get(token))
                .filter(issued -> !issued.expired())
                .map(IssuedToken::principal);
    }

    /** The tokens issued to the principal of {@code objectId} for {@code scope} that have not expired. */
    public List<IssuedToken> tokensOf(String objectId, String scope) {
        return tokens.values().stream()
                .filter(issued ->
                        issued.principal().objectId().equals(objectId) && issued.isFor(scope) && !issued.expired())
                .toList();
    }

    /** Tells {@code listener} of each token issued from now on, before the token is answered. */
    public void onIssued(Consumer<IssuedToken> listener) {
        listeners.add(listener);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Matcher token = TOKEN.matcher(path);
            Matcher openid = OPENID.matcher(path);
            if (exchange.getRequestMethod().equals("POST") && token.matches()) {
                issue(exchange, token.group(1));
            } else if (exchange.getRequestMethod().equals("GET") && openid.matches()) {
                send(exchange, 200, openIdConfiguration(openid.group(1)));
            } else {
                violations.add("Entra ID was sent " + exchange.getRequestMethod() + " " + path + ", which it has no");
                send(exchange, 404, error("invalid_request", "no such endpoint"));
            }
        }
    }

    private void issue(HttpExchange exchange, String tenantId) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!"client_credentials".equals(form.get("grant_type"))) {
            send(exchange, 400, error("unsupported_grant_type", "only client_credentials is served"));
            return;
        }
        Principal principal = principals.get(form.getOrDefault("client_id", ""));
        if (principal == null || !principal.tenantId().equals(tenantId)) {
            send(exchange, 400, error("unauthorized_client", "AADSTS700016: Application not found in the directory"));
            return;
        }
        if (!principal.clientSecret().equals(form.get("client_secret"))) {
            send(exchange, 401, error("invalid_client", "AADSTS7000215: Invalid client secret provided"));
            return;
        }
        if (form.getOrDefault("scope", "").isBlank()) {
            send(exchange, 400, error("invalid_scope", "AADSTS70011: the scope is missing"));
            return;
        }
        IssuedToken issued = new IssuedToken(
                principal,
                HexFormat.of().formatHex(bytes(32)),
                form.get("scope"),
                Instant.now().plusSeconds(LIFETIME_SECONDS));
        tokens.put(issued.token(), issued);
        // before the answer: a client that uses the token at once finds it already known
        listeners.forEach(listener -> listener.accept(issued));
        ObjectNode answer = JSON.createObjectNode()
                .put("token_type", "Bearer")
                .put("expires_in", LIFETIME_SECONDS)
                .put("ext_expires_in", LIFETIME_SECONDS)
                .put("access_token", issued.token());
        send(exchange, 200, answer);
    }

    private ObjectNode openIdConfiguration(String tenantId) {
        String base = authorityHost() + tenantId;
        return JSON.createObjectNode()
                .put("issuer", base + "/v2.0")
                .put("token_endpoint", base + "/oauth2/v2.0/token")
                .put("authorization_endpoint", base + "/oauth2/v2.0/authorize")
                .put("tenant_region_scope", "EU");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new TreeMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                form.put(
                        URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static ObjectNode error(String error, String description) {
        return JSON.createObjectNode().put("error", error).put("error_description", description);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String uuid() {
        return java.util.UUID.randomUUID().toString();
    }

    private static byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
