package io.paasbroker.aws.testbed.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.opensearch.node.OpenSearchNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fake OpenSearch Service's hand on a domain's node, as the node's administrator (what AWS keeps for itself): the
 * domain's master user made, the role mappings read, and a node made blank again for another domain.
 */
final class NodeAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECURITY = "/_plugins/_security/api/";

    private final OpenSearchNode node;
    private final HttpClient client;

    NodeAdmin(OpenSearchNode node) {
        this.node = node;
        this.client = HttpClient.newBuilder()
                .sslContext(node.trustingSslContext())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The master user, with the backend role the node maps to {@code all_access} and the security REST API. */
    void putMasterUser(String user, String password) {
        send(
                "PUT",
                SECURITY + "internalusers/" + encode(user),
                Map.of("password", password, "backend_roles", List.of("admin")));
    }

    /** Whether the node maps {@code user}, or one of {@code backendRoles}, to one of {@code roles}. */
    boolean mapsToAnyOf(Set<String> roles, String user, List<String> backendRoles) {
        JsonNode mappings = send("GET", SECURITY + "rolesmapping", null);
        for (String role : roles) {
            JsonNode mapping = mappings.path(role);
            for (JsonNode mapped : mapping.path("users")) {
                if (mapped.asText().equals(user)) {
                    return true;
                }
            }
            for (JsonNode mapped : mapping.path("backend_roles")) {
                if (backendRoles.contains(mapped.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Everything a domain's users made, gone: every index but the node's own ({@code .}-prefixed), every snapshot
     * repository registered (the snapshots stay where they are, as in the domain's S3 bucket), and every internal
     * user, role and role mapping that is not the node's (its administrator, or reserved, static or hidden).
     */
    void wipe() {
        List<String> indices = new ArrayList<>();
        for (JsonNode index : send("GET", "/_cat/indices?format=json&h=index&expand_wildcards=all", null)) {
            String name = index.path("index").asText();
            if (!name.startsWith(".")) {
                indices.add(encode(name));
            }
        }
        if (!indices.isEmpty()) {
            send("DELETE", "/" + String.join(",", indices) + "?expand_wildcards=all", null);
        }
        send("GET", "/_snapshot", null)
                .fieldNames()
                .forEachRemaining(repository -> send("DELETE", "/_snapshot/" + encode(repository), null));
        for (String kind : List.of("internalusers", "rolesmapping", "roles")) {
            send("GET", SECURITY + kind, null).fields().forEachRemaining(entry -> {
                JsonNode object = entry.getValue();
                if (!entry.getKey().equals(node.adminUsername())
                        && !object.path("reserved").asBoolean()
                        && !object.path("static").asBoolean()
                        && !object.path("hidden").asBoolean()) {
                    send("DELETE", SECURITY + kind + "/" + encode(entry.getKey()), null);
                }
            });
        }
    }

    /** The node administrator's basic authorization, as a request's {@code Authorization} header. */
    String authorization() {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (node.adminUsername() + ":" + node.adminPassword()).getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode send(String method, String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(node.uri() + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", authorization())
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " on the domain's node: HTTP "
                        + answer.statusCode() + " " + answer.body());
            }
            return answer.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " on the domain's node failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }
}
