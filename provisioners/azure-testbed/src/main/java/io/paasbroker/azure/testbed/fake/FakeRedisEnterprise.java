package io.paasbroker.azure.testbed.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.testbed.ManagedRedis;
import io.paasbroker.testbed.TestBedCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A fake of Azure Managed Redis ({@code Microsoft.Cache/redisEnterprise}) with a real Redis behind each cluster ({@link
 * ManagedRedis}: TLS, ACL users), reached at an address of its own on port 10000, which Azure reports as the cluster's
 * host name. A cluster has one database, {@code default}; its access keys sign in while access keys authentication is
 * enabled, and each access policy assignment lets its Entra principal sign in as its object id with the tokens the
 * fake Entra ID issues it for Redis ({@link #SCOPE}), as AMR takes them: deleting the assignment ends its sessions.
 * Export and import move the data as an RDB blob through a SAS URL into and out of Blob Storage (Azurite). Every
 * change is a long-running operation, one at a time per cluster; one asked for while another runs is refused with 409
 * {@code Conflict}.
 */
public final class FakeRedisEnterprise implements ResourceType, AutoCloseable {

    public static final String TYPE = "Microsoft.Cache/redisEnterprise";
    /** The scope of the Entra tokens a Redis client signs in with. */
    public static final String SCOPE = "https://redis.azure.com/.default";
    /** The port of every Azure Managed Redis database. */
    public static final int PORT = 10000;

    private static final String NAMESPACE = "Microsoft.Cache";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ASSIGNMENT_NAME = Pattern.compile("[A-Za-z0-9]{1,60}");
    private static final DateTimeFormatter EXPORT_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final ArmOperations operations;
    private final TestBedCertificates certificates;
    private final FakeEntraId entraId;
    private final Path work;
    private final SasBlobs blobs;
    private final RedisData data;
    private final Map<String, RedisEnterpriseCluster> clusters = new ConcurrentHashMap<>();

    /** Its Redis servers' data under {@code work}; its principals and their tokens {@code entraId}'s. */
    public FakeRedisEnterprise(
            ArmOperations operations, TestBedCertificates certificates, FakeEntraId entraId, Path work) {
        this.operations = operations;
        this.certificates = certificates;
        this.entraId = entraId;
        this.work = work;
        this.blobs = new SasBlobs(certificates);
        this.data = new RedisData(certificates);
        entraId.onIssued(issued -> {
            if (issued.isFor(SCOPE)) {
                clusters.values()
                        .forEach(cluster ->
                                cluster.tokenIssued(issued.principal().objectId()));
            }
        });
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The clusters there are now, by name. */
    public Set<String> clusters() {
        return Set.copyOf(
                clusters.values().stream().map(cluster -> cluster.name).toList());
    }

    /** The cluster named {@code name} as Azure reports it. */
    public JsonNode cluster(String name) {
        return named(name).body(TYPE);
    }

    /** The database of the cluster named {@code name} as Azure reports it. */
    public JsonNode database(String name) {
        return named(name).databaseBody(TYPE);
    }

    /** The names of the access policy assignments of the cluster named {@code name}. */
    public Set<String> assignments(String name) {
        return named(name).assignments().keySet();
    }

    private RedisEnterpriseCluster named(String name) {
        return clusters.values().stream()
                .filter(cluster -> cluster.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cluster " + name));
    }

    @Override
    public ArmAnswer handle(ArmRequest request) {
        if (request.name().isEmpty() && request.method().equals("GET")) {
            return list(request);
        }
        if (request.toResource()) {
            return switch (request.method()) {
                case "GET" -> ArmAnswer.ok(existing(request).body(TYPE));
                case "PUT" -> create(request);
                case "PATCH" -> change(request, existing(request), 202);
                case "DELETE" -> delete(request);
                default -> throw unsupported(request);
            };
        }
        RedisEnterpriseCluster cluster = existing(request);
        List<String> children = request.children();
        if (!children.get(0).equals("databases")) {
            throw unsupported(request);
        }
        if (children.size() == 1 && request.method().equals("GET")) {
            ArrayNode value = JSON.createArrayNode();
            cluster.database().ifPresent(database -> value.add(cluster.databaseBody(TYPE)));
            return ArmAnswer.ok(JSON.createObjectNode().set("value", value));
        }
        if (!children.get(1).equals(RedisEnterpriseCluster.DATABASE)) {
            throw ArmError.invalid(
                    "Azure Managed Redis has one database, named 'default': '" + children.get(1) + "' is not served.");
        }
        if (children.size() == 2) {
            return database(request, cluster);
        }
        if (children.get(2).equals("accessPolicyAssignments")) {
            return accessPolicyAssignment(request, cluster, children.size() == 4 ? children.get(3) : null);
        }
        if (children.size() == 3 && request.method().equals("POST")) {
            return action(request, cluster, children.get(2));
        }
        throw unsupported(request);
    }

    /** Azure's PUT makes the cluster, or updates the one there. */
    private ArmAnswer create(ArmRequest request) {
        RedisEnterpriseCluster there = clusters.get(key(request));
        if (there != null) {
            return change(request, there, 200);
        }
        RedisEnterpriseCluster cluster =
                new RedisEnterpriseCluster(request.resourceId(), request.name(), request.body(), this::redisTokens);
        cluster.busy.set(true);
        clusters.put(key(request), cluster);
        ArmOperations.Operation operation = operations.start(request, NAMESPACE, () -> {
            try {
                cluster.start(ManagedRedis.start(
                        work.resolve("redis-enterprise").resolve(request.name()), certificates, null));
                return cluster.body(TYPE);
            } catch (RuntimeException e) {
                clusters.remove(key(request));
                cluster.stop();
                throw e;
            } finally {
                cluster.busy.set(false);
            }
        });
        return ArmAnswer.accepted(201, cluster.body(TYPE), operation);
    }

    private ArmAnswer change(ArmRequest request, RedisEnterpriseCluster cluster, int status) {
        return operate(request, cluster, "Updating", status, () -> {
            cluster.apply(request.body());
            return cluster.body(TYPE);
        });
    }

    private ArmAnswer delete(ArmRequest request) {
        RedisEnterpriseCluster cluster = clusters.get(key(request));
        if (cluster == null) {
            return new ArmAnswer(204, null, Optional.empty());
        }
        return operate(request, cluster, "Deleting", 202, () -> {
            clusters.remove(key(request));
            cluster.stop();
            return null;
        });
    }

    private ArmAnswer list(ArmRequest request) {
        ArrayNode value = JSON.createArrayNode();
        clusters.values().stream()
                .filter(cluster ->
                        cluster.id.toLowerCase().startsWith(request.group().id().toLowerCase() + "/"))
                .sorted(Comparator.comparing(cluster -> cluster.name))
                .forEach(cluster -> value.add(cluster.body(TYPE)));
        return ArmAnswer.ok(JSON.createObjectNode().set("value", value));
    }

    private ArmAnswer database(ArmRequest request, RedisEnterpriseCluster cluster) {
        switch (request.method()) {
            case "GET" -> {
                return ArmAnswer.ok(existingDatabase(request, cluster));
            }
            case "PUT", "PATCH" -> {
                boolean made = cluster.database().isEmpty();
                if (made && request.method().equals("PATCH")) {
                    existingDatabase(request, cluster);
                }
                return operate(request, cluster, null, made ? 201 : 200, () -> {
                    cluster.putDatabase(request.body().path("properties"));
                    return cluster.databaseBody(TYPE);
                });
            }
            case "DELETE" -> {
                if (cluster.database().isEmpty()) {
                    return new ArmAnswer(204, null, Optional.empty());
                }
                return operate(request, cluster, null, 202, () -> {
                    cluster.deleteDatabase();
                    data.flush(cluster.redis());
                    return null;
                });
            }
            default -> throw unsupported(request);
        }
    }

    private ArmAnswer action(ArmRequest request, RedisEnterpriseCluster cluster, String action) {
        existingDatabase(request, cluster);
        JsonNode body = request.body();
        return switch (action) {
            case "listKeys" -> ArmAnswer.ok(cluster.keys());
            case "regenerateKey" ->
                operate(request, cluster, null, 202, () -> {
                    cluster.regenerate(body.path("keyType").asText());
                    return cluster.keys();
                });
            case "export" -> {
                URI container = sasUri(body.path("sasUri").asText(""));
                yield operate(request, cluster, null, 202, () -> {
                    export(cluster, container);
                    return null;
                });
            }
            case "import" -> {
                List<URI> sources = new ArrayList<>();
                body.path("sasUris").forEach(uri -> sources.add(sasUri(uri.asText())));
                yield operate(request, cluster, null, 202, () -> {
                    load(cluster, sources);
                    return null;
                });
            }
            default -> throw unsupported(request);
        };
    }

    /** The database's data as an RDB blob in the container of {@code container}, written with that SAS. */
    private void export(RedisEnterpriseCluster cluster, URI container) {
        Path rdb = work.resolve("redis-enterprise-exports").resolve(cluster.name + "-" + System.nanoTime() + ".rdb");
        cluster.redis().saveTo(rdb);
        try {
            blobs.put(
                    container,
                    cluster.name + "-" + RedisEnterpriseCluster.DATABASE + "-" + EXPORT_TIME.format(Instant.now())
                            + ".rdb",
                    Files.readAllBytes(rdb));
            Files.delete(rdb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The database's data replaced by that of the RDB blobs, read with their SAS. */
    private void load(RedisEnterpriseCluster cluster, List<URI> sources) {
        Path directory = work.resolve("redis-enterprise-imports").resolve(cluster.name + "-" + System.nanoTime());
        try {
            Files.createDirectories(directory);
            List<Path> rdbs = new ArrayList<>();
            for (URI source : sources) {
                Path rdb = directory.resolve(rdbs.size() + ".rdb");
                Files.write(rdb, blobs.get(source));
                rdbs.add(rdb);
            }
            data.replace(cluster.redis(), rdbs, directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ArmAnswer accessPolicyAssignment(ArmRequest request, RedisEnterpriseCluster cluster, String name) {
        existingDatabase(request, cluster);
        if (name == null) {
            if (!request.method().equals("GET")) {
                throw unsupported(request);
            }
            ArrayNode value = JSON.createArrayNode();
            cluster.assignments()
                    .forEach((assignment, objectId) -> value.add(cluster.assignmentBody(TYPE, assignment, objectId)));
            return ArmAnswer.ok(JSON.createObjectNode().set("value", value));
        }
        switch (request.method()) {
            case "GET" -> {
                String objectId = cluster.assignment(name)
                        .orElseThrow(() -> ArmError.notFound(
                                request.resourceId() + "/databases/default/" + "accessPolicyAssignments/" + name));
                return ArmAnswer.ok(cluster.assignmentBody(TYPE, name, objectId));
            }
            case "PUT" -> {
                if (!ASSIGNMENT_NAME.matcher(name).matches()) {
                    throw ArmError.invalid(
                            "The access policy assignment name '" + name + "' is invalid: 1 to 60 letters and digits.");
                }
                JsonNode properties = request.body().path("properties");
                String policy = properties.path("accessPolicyName").asText("");
                if (!policy.equals("default")) {
                    throw new ArmError(
                            400,
                            "InvalidAccessPolicyName",
                            "The access policy '" + policy + "' does not exist: only 'default' is supported.");
                }
                String objectId = properties.path("user").path("objectId").asText("");
                if (objectId.isBlank()) {
                    throw ArmError.invalid("properties.user.objectId is required.");
                }
                int status = cluster.assignment(name).isPresent() ? 200 : 201;
                return operate(request, cluster, null, status, () -> {
                    cluster.assign(name, objectId);
                    return cluster.assignmentBody(TYPE, name, objectId);
                });
            }
            case "DELETE" -> {
                if (cluster.assignment(name).isEmpty()) {
                    return new ArmAnswer(204, null, Optional.empty());
                }
                return operate(request, cluster, null, 202, () -> {
                    cluster.unassign(name);
                    return null;
                });
            }
            default -> throw unsupported(request);
        }
    }

    /**
     * Runs {@code task} as the cluster's one operation, its state {@code during} meanwhile (null: unchanged, as for
     * its database's changes), answered with {@code status}.
     */
    private ArmAnswer operate(
            ArmRequest request, RedisEnterpriseCluster cluster, String during, int status, Supplier<JsonNode> task) {
        if (!cluster.running() || !cluster.busy.compareAndSet(false, true)) {
            throw new ArmError(
                    409,
                    "Conflict",
                    "The cache '" + cluster.name + "' is busy with another operation. Please try again later.");
        }
        if (during != null) {
            cluster.state(during);
        }
        ArmOperations.Operation operation = operations.start(request, NAMESPACE, () -> {
            try {
                JsonNode result = task.get();
                if (during != null && !during.equals("Deleting")) {
                    cluster.state("Running");
                }
                return result;
            } catch (RuntimeException e) {
                if (during != null && !during.equals("Deleting")) {
                    cluster.state("Running");
                }
                throw e;
            } finally {
                cluster.busy.set(false);
            }
        });
        return ArmAnswer.accepted(status, status == 202 ? null : result(cluster, request), operation);
    }

    /** What a PUT answers at once: the resource as it will be, its provisioning state still running. */
    private static JsonNode result(RedisEnterpriseCluster cluster, ArmRequest request) {
        return request.toResource() ? cluster.body(TYPE) : null;
    }

    private List<String> redisTokens(String objectId) {
        return entraId.tokensOf(objectId, SCOPE).stream()
                .map(FakeEntraId.IssuedToken::token)
                .toList();
    }

    private RedisEnterpriseCluster existing(ArmRequest request) {
        RedisEnterpriseCluster cluster = clusters.get(key(request));
        if (cluster == null) {
            throw ArmError.notFound(request.resourceId());
        }
        return cluster;
    }

    private static ObjectNode existingDatabase(ArmRequest request, RedisEnterpriseCluster cluster) {
        if (cluster.database().isEmpty()) {
            throw ArmError.notFound(request.resourceId() + "/databases/" + RedisEnterpriseCluster.DATABASE);
        }
        return cluster.databaseBody(TYPE);
    }

    private static URI sasUri(String text) {
        try {
            URI uri = URI.create(text);
            if (!"https".equals(uri.getScheme())
                    || uri.getRawQuery() == null
                    || !uri.getRawQuery().contains("sig=")) {
                throw new IllegalArgumentException("no HTTPS SAS URI");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ArmError(400, "InvalidSasUri", "'" + text + "' is no SAS URI (https://...?...&sig=...).");
        }
    }

    private static String key(ArmRequest request) {
        return request.resourceId().toLowerCase();
    }

    private static ArmError unsupported(ArmRequest request) {
        return new ArmError(405, "MethodNotAllowed", request.method() + " of " + request.children() + " is not served");
    }

    /** Stops every cluster's Redis. */
    @Override
    public void close() {
        clusters.values().forEach(RedisEnterpriseCluster::stop);
        clusters.clear();
        data.close();
    }
}
