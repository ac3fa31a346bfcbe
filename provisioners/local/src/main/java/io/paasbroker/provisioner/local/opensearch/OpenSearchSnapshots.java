package io.paasbroker.provisioner.local.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Snapshots of an instance's indices in a snapshot repository registered on the cluster, through OpenSearch's
 * snapshot API as the admin user: taken with the instance's index prefix in their metadata, and restored into
 * another instance under its own prefix, aliases included. Registering the repository is the caller's: where the
 * snapshots are kept (and who may write there) is the cluster operator's matter, not the tenancy's.
 */
public final class OpenSearchSnapshots {

    /** What a snapshot is: OpenSearch's state ({@code IN_PROGRESS}, {@code SUCCESS}, ...) and what it holds. */
    public record Snapshot(String state, String reason, String indexPrefix, List<String> indices) {}

    private static final String MANAGE_SNAPSHOTS = "manage_snapshots";
    private static final String PREFIX_KEY = "index_prefix";
    private static final int MAX_DETAILS = 300;

    private final OpenSearchAdmin admin;

    OpenSearchSnapshots(OpenSearchAdmin admin) {
        this.admin = admin;
    }

    /**
     * Maps the security plugin's {@code manage_snapshots} role from these users and backend roles (on a cluster of the
     * instance's own, whose mapping is the broker's alone).
     */
    public void allowSnapshotsBy(List<String> users, List<String> backendRoles) {
        admin.putRoleMapping(MANAGE_SNAPSHOTS, Map.of("users", users, "backend_roles", backendRoles));
    }

    /** Starts the snapshot of the instance's indices; one of that name taken already is the one asked for. */
    public void take(String repository, String snapshot, String instanceId) {
        String prefix = OpenSearchNames.indexPrefix(instanceId);
        OpenSearchAdmin.Answer answer = admin.send(
                "PUT",
                path(repository, snapshot),
                Map.of(
                        "indices", OpenSearchNames.indexPattern(instanceId),
                        "include_global_state", false,
                        "metadata", Map.of(PREFIX_KEY, prefix)));
        if (answer.status() == 400 && errorType(answer).equals("invalid_snapshot_name_exception")) {
            return;
        }
        admin.expect("taking snapshot '" + snapshot + "'", answer, 200);
    }

    /** The snapshot, if the repository is registered and holds it. */
    public Optional<Snapshot> find(String repository, String snapshot) {
        OpenSearchAdmin.Answer answer = admin.send("GET", path(repository, snapshot));
        if (answer.status() == 404) {
            return Optional.empty();
        }
        JsonNode found = admin.expect("reading snapshot '" + snapshot + "'", answer, 200)
                .body()
                .path("snapshots")
                .path(0);
        List<String> indices = new ArrayList<>();
        found.path("indices").forEach(index -> indices.add(index.asText()));
        return Optional.of(new Snapshot(
                found.path("state").asText(),
                found.path("reason").asText(null),
                found.path("metadata").path(PREFIX_KEY).asText(null),
                indices));
    }

    /** Stops a snapshot being taken (and deletes one taken); one that is not there is no error. */
    public void abort(String repository, String snapshot) {
        admin.expect(
                "stopping snapshot '" + snapshot + "'", admin.send("DELETE", path(repository, snapshot)), 200, 404);
    }

    /** Forgets the repository (what it holds stays where it is kept); one not registered is no error. */
    public void deregister(String repository) {
        admin.expect(
                "deregistering snapshot repository '" + repository + "'",
                admin.send("DELETE", "/_snapshot/" + OpenSearchAdmin.inPath(repository)),
                200,
                404);
    }

    /**
     * Starts restoring the snapshot's indices under the instance's prefix, unless an index under it exists already
     * (the restore started: the new instance's cluster holds nothing else).
     */
    public void startRestore(String repository, Snapshot snapshot, String name, String instanceId) {
        String prefix = OpenSearchNames.indexPrefix(instanceId);
        if (snapshot.indices().isEmpty() || !admin.indicesWithPrefix(prefix).isEmpty()) {
            return;
        }
        admin.expect(
                "restoring snapshot '" + name + "'",
                admin.send(
                        "POST",
                        path(repository, name) + "/_restore",
                        Map.of(
                                "indices", snapshot.indexPrefix() + "*",
                                "include_global_state", false,
                                "include_aliases", true,
                                "rename_pattern", Pattern.quote(snapshot.indexPrefix()) + "(.+)",
                                "rename_replacement", prefix + "$1")),
                200);
    }

    /**
     * Whether every index of the snapshot is back under the instance's prefix with its primary shards recovered; then
     * moves the aliases the snapshot brought (under the old prefix) under the new one.
     */
    public boolean restored(Snapshot snapshot, String instanceId) {
        if (snapshot.indices().isEmpty()) {
            return true;
        }
        String prefix = OpenSearchNames.indexPrefix(instanceId);
        failIfAPrimaryCouldNotBeRestored(prefix);
        JsonNode recovery = admin.expect(
                        "reading the restore's progress",
                        admin.send("GET", "/" + prefix + "*/_recovery?expand_wildcards=all"),
                        200)
                .body();
        for (String index : snapshot.indices()) {
            JsonNode shards = recovery.path(
                            prefix + index.substring(snapshot.indexPrefix().length()))
                    .path("shards");
            if (shards.isEmpty()) {
                return false;
            }
            for (JsonNode shard : shards) {
                if (shard.path("primary").asBoolean()
                        && !shard.path("stage").asText().equals("DONE")) {
                    return false;
                }
            }
        }
        moveAliases(snapshot.indexPrefix(), prefix);
        return true;
    }

    /**
     * A primary shard OpenSearch could not restore (a blob missing or damaged in the repository) is left unassigned
     * with {@code ALLOCATION_FAILED}: the restore will not end.
     */
    private void failIfAPrimaryCouldNotBeRestored(String prefix) {
        JsonNode shards = admin.expect(
                        "reading the restored shards",
                        admin.send(
                                "GET",
                                "/_cat/shards/" + prefix
                                        + "*?format=json&h=index,prirep,state,unassigned.reason,"
                                        + "unassigned.details"),
                        200)
                .body();
        for (JsonNode shard : shards) {
            if (shard.path("prirep").asText().equals("p")
                    && shard.path("state").asText().equals("UNASSIGNED")
                    && shard.path("unassigned.reason").asText().equals("ALLOCATION_FAILED")) {
                String details = shard.path("unassigned.details").asText("");
                throw new ProvisioningFailedException("OpenSearch could not restore index "
                        + shard.path("index").asText() + " from the snapshot: "
                        + (details.length() > MAX_DETAILS ? details.substring(0, MAX_DETAILS) + "..." : details)
                        + "; delete this service instance");
            }
        }
    }

    private void moveAliases(String from, String to) {
        JsonNode aliases = admin.expect(
                        "reading the restored aliases",
                        admin.send("GET", "/" + to + "*/_alias?expand_wildcards=all"),
                        200)
                .body();
        List<Map<String, Object>> actions = new ArrayList<>();
        aliases.fields()
                .forEachRemaining(index -> index.getValue()
                        .path("aliases")
                        .fields()
                        .forEachRemaining(alias -> {
                            if (alias.getKey().startsWith(from)) {
                                ObjectNode added = ((ObjectNode)
                                                alias.getValue().deepCopy())
                                        .put("index", index.getKey())
                                        .put("alias", to + alias.getKey().substring(from.length()));
                                actions.add(Map.of("add", added));
                                actions.add(Map.of("remove", Map.of("index", index.getKey(), "alias", alias.getKey())));
                            }
                        }));
        if (!actions.isEmpty()) {
            admin.expect(
                    "renaming the restored aliases", admin.send("POST", "/_aliases", Map.of("actions", actions)), 200);
        }
    }

    private static String path(String repository, String snapshot) {
        return "/_snapshot/" + OpenSearchAdmin.inPath(repository) + "/" + OpenSearchAdmin.inPath(snapshot);
    }

    private static String errorType(OpenSearchAdmin.Answer answer) {
        return answer.body() == null
                ? ""
                : answer.body().path("error").path("type").asText();
    }

    /** A snapshot that ended without all its data: what OpenSearch said, for the user. */
    public static ProvisioningFailedException failed(String name, Snapshot snapshot) {
        return new ProvisioningFailedException("OpenSearch snapshot " + name + " ended " + snapshot.state()
                + (snapshot.reason() == null ? "" : ": " + snapshot.reason()));
    }
}
