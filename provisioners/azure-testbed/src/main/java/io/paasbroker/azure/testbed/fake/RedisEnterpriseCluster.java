package io.paasbroker.azure.testbed.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.testbed.ManagedRedis;
import io.paasbroker.testbed.ServerAddresses;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One Azure Managed Redis cluster of {@link FakeRedisEnterprise}: what Azure reports of it and of its one database
 * ({@code default}) and access policy assignments, and the real Redis behind it once made. Who may sign in is kept as
 * Redis ACL users: {@code default} with the access keys while access keys authentication is enabled, and one user per
 * assigned Entra object id, of the {@code default} policy's rules, whose passwords are that principal's unexpired
 * tokens for Redis ({@code tokens}).
 */
final class RedisEnterpriseCluster {

    static final String DATABASE = "default";
    /** The {@code default} access policy: everything but the administrative commands. */
    static final String DEFAULT_POLICY_RULES = "on ~* &* +@all -@admin";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A database's settings, as Azure reports them. */
    record Database(ObjectNode properties) {}

    final String id;
    final String name;
    final AtomicBoolean busy = new AtomicBoolean();
    private final String location;
    private final Function<String, List<String>> tokens;
    private volatile ObjectNode sku;
    private volatile ObjectNode tags;
    private volatile JsonNode zones;
    private volatile String highAvailability;
    private volatile String minimumTlsVersion;
    private volatile String publicNetworkAccess;
    private volatile String state = "Creating";
    private volatile ManagedRedis redis;
    private volatile ServerAddresses.Passage passage;
    private volatile Database database;
    private volatile String primaryKey = newKey();
    private volatile String secondaryKey = newKey();
    /** Object id by assignment name. */
    private final Map<String, String> assignments = new TreeMap<>();

    /** {@code tokens}: the unexpired Redis tokens of an Entra object id. */
    RedisEnterpriseCluster(String id, String name, JsonNode body, Function<String, List<String>> tokens) {
        this.id = id;
        this.name = name;
        this.location = body.path("location").asText();
        this.tokens = tokens;
        this.sku = (ObjectNode) body.path("sku").deepCopy();
        this.tags = JSON.createObjectNode();
        this.zones = body.path("zones").isArray() ? body.path("zones").deepCopy() : null;
        JsonNode properties = body.path("properties");
        this.highAvailability = properties.path("highAvailability").asText("Enabled");
        this.minimumTlsVersion = properties.path("minimumTlsVersion").asText("1.2");
        this.publicNetworkAccess = properties.path("publicNetworkAccess").asText(null);
        apply(body);
    }

    /** Starts the real Redis and its address on Azure Managed Redis's port: every client is let in. */
    void start(ManagedRedis started) {
        redis = started;
        passage = ServerAddresses.open(FakeRedisEnterprise.PORT, started.port(), client -> true);
        state = "Running";
    }

    boolean running() {
        return state.equals("Running");
    }

    void state(String state) {
        this.state = state;
    }

    ManagedRedis redis() {
        return redis;
    }

    Optional<Database> database() {
        return Optional.ofNullable(database);
    }

    /** What a PUT or PATCH changes: sku, tags, availability, TLS and network access. */
    void apply(JsonNode body) {
        if (body.path("sku").isObject()) {
            sku = (ObjectNode) body.path("sku").deepCopy();
        }
        if (body.path("tags").isObject()) {
            tags = (ObjectNode) body.path("tags").deepCopy();
        }
        JsonNode properties = body.path("properties");
        highAvailability = properties.path("highAvailability").asText(highAvailability);
        minimumTlsVersion = properties.path("minimumTlsVersion").asText(minimumTlsVersion);
        publicNetworkAccess = properties.path("publicNetworkAccess").asText(publicNetworkAccess);
    }

    /** Makes or updates the database; its access keys sign in as {@code default} while its setting enables them. */
    synchronized void putDatabase(JsonNode properties) {
        ObjectNode kept = database == null ? defaults() : database.properties().deepCopy();
        properties
                .fields()
                .forEachRemaining(
                        field -> kept.set(field.getKey(), field.getValue().deepCopy()));
        database = new Database(kept);
        keysUser();
    }

    synchronized void deleteDatabase() {
        database = null;
        assignments.values().forEach(redis::deleteUser);
        assignments.clear();
        keysUser();
    }

    /** {@code Primary} or {@code Secondary}: a new key, the old one no longer signing in. */
    synchronized void regenerate(String keyType) {
        if (keyType.equalsIgnoreCase("Primary")) {
            primaryKey = newKey();
        } else {
            secondaryKey = newKey();
        }
        keysUser();
    }

    ObjectNode keys() {
        return JSON.createObjectNode().put("primaryKey", primaryKey).put("secondaryKey", secondaryKey);
    }

    private void keysUser() {
        boolean enabled = database != null
                && database.properties()
                        .path("accessKeysAuthentication")
                        .asText()
                        .equals("Enabled");
        if (enabled) {
            redis.setUser("default", List.of(primaryKey, secondaryKey), false, DEFAULT_POLICY_RULES);
        } else {
            redis.setUser("default", List.of(), false, "off");
        }
    }

    Optional<String> assignment(String assignment) {
        synchronized (this) {
            return Optional.ofNullable(assignments.get(assignment));
        }
    }

    synchronized Map<String, String> assignments() {
        return Map.copyOf(assignments);
    }

    /** The principal of {@code objectId} signs in with its Redis tokens, as user {@code objectId}. */
    synchronized void assign(String assignment, String objectId) {
        String before = assignments.put(assignment, objectId);
        if (before != null && !before.equals(objectId) && !assignments.containsValue(before)) {
            redis.deleteUser(before);
        }
        tokensUser(objectId);
    }

    /** The assignment's user is gone: Redis closes its connections, which is how access is revoked. */
    synchronized void unassign(String assignment) {
        String objectId = assignments.remove(assignment);
        if (objectId != null && !assignments.containsValue(objectId)) {
            redis.deleteUser(objectId);
        }
    }

    /** A new Redis token of {@code objectId}: a password of its user too, where it has an assignment. */
    synchronized void tokenIssued(String objectId) {
        if (redis != null && assignments.containsValue(objectId)) {
            tokensUser(objectId);
        }
    }

    private void tokensUser(String objectId) {
        redis.setUser(objectId, tokens.apply(objectId), false, DEFAULT_POLICY_RULES);
    }

    void stop() {
        if (passage != null) {
            passage.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    ObjectNode body(String type) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", id)
                .put("name", name)
                .put("type", type)
                .put("location", location)
                .put("kind", "v2");
        body.set("tags", tags.deepCopy());
        body.set("sku", sku.deepCopy());
        if (zones != null) {
            body.set("zones", zones.deepCopy());
        }
        ObjectNode properties = body.putObject("properties");
        if (passage != null) {
            properties.put("hostName", passage.address());
        }
        properties
                .put("provisioningState", provisioningState())
                .put("resourceState", state)
                .put("redisVersion", "7.2")
                .put("minimumTlsVersion", minimumTlsVersion)
                .put("highAvailability", highAvailability)
                .put("publicNetworkAccess", publicNetworkAccess);
        properties.putArray("privateEndpointConnections");
        return body;
    }

    ObjectNode databaseBody(String type) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", id + "/databases/" + DATABASE)
                .put("name", DATABASE)
                .put("type", type + "/databases");
        ObjectNode properties = database.properties().deepCopy();
        properties
                .put("provisioningState", provisioningState())
                .put("resourceState", state)
                .put("redisVersion", "7.2");
        body.set("properties", properties);
        return body;
    }

    ObjectNode assignmentBody(String type, String assignment, String objectId) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", id + "/databases/" + DATABASE + "/accessPolicyAssignments/" + assignment)
                .put("name", assignment)
                .put("type", type + "/databases/accessPolicyAssignments");
        ObjectNode properties = body.putObject("properties")
                .put("provisioningState", "Succeeded")
                .put("accessPolicyName", "default");
        properties.putObject("user").put("objectId", objectId);
        return body;
    }

    private String provisioningState() {
        return switch (state) {
            case "Running" -> "Succeeded";
            case "Creating" -> "Creating";
            case "Deleting" -> "Deleting";
            default -> "Updating";
        };
    }

    /** A database's settings where the request leaves them out, as Azure defaults them (the port: AMR's). */
    private static ObjectNode defaults() {
        ObjectNode properties = JSON.createObjectNode()
                .put("clientProtocol", "Encrypted")
                .put("port", FakeRedisEnterprise.PORT)
                .put("clusteringPolicy", "OSSCluster")
                .put("evictionPolicy", "VolatileLRU")
                .put("deferUpgrade", "NotDeferred")
                .put("accessKeysAuthentication", "Disabled");
        properties.putObject("persistence").put("aofEnabled", false).put("rdbEnabled", false);
        properties.putArray("modules");
        return properties;
    }

    private static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
