package io.paasbroker.provisioner.local.opensearch;

import java.util.List;
import java.util.Map;

/**
 * The security plugin's roles of an instance. Index permissions cover the instance's index pattern only; the cluster
 * permissions are the few that requests spanning several indices are checked against first (each index they touch is
 * then checked against the index permissions), and {@code cluster:monitor/main} for {@code GET /}.
 *
 * <p>Left out on purpose: {@code cluster:monitor/state}, {@code cluster:monitor/health} and the {@code _cat} APIs
 * built on them, which the plugin checks as cluster permissions alone and which name every index on the cluster; and
 * the alias and resolve actions of {@code cluster_composite_ops}, which list names of other tenants' indices. A
 * tenant lists its own indices with {@code GET pb-<hash>-*}, or {@code GET pb-<hash>-* /_stats}.
 */
final class OpenSearchRoles {

    private static final List<String> READ_CLUSTER_ACTIONS = List.of(
            "cluster:monitor/main",
            "indices:data/read/mget",
            "indices:data/read/msearch",
            "indices:data/read/msearch/template",
            "indices:data/read/mtv",
            "indices:data/read/scroll",
            "indices:data/read/scroll/clear");

    private static final List<String> WRITE_CLUSTER_ACTIONS =
            List.of("indices:data/write/bulk", "indices:data/write/reindex");

    /** Everything on its own indices: documents, mappings, settings, creating and deleting them. */
    private static final List<String> WRITE_INDEX_ACTIONS = List.of("indices_all");

    private static final List<String> READ_INDEX_ACTIONS =
            List.of("read", "indices:admin/get", "indices:admin/mappings/get", "indices:monitor/settings/get");

    private OpenSearchRoles() {}

    static Map<String, Object> readWrite(String instanceId) {
        return role(
                instanceId,
                concat(READ_CLUSTER_ACTIONS, WRITE_CLUSTER_ACTIONS),
                WRITE_INDEX_ACTIONS,
                "read-write access to the indices of one service instance");
    }

    static Map<String, Object> readOnly(String instanceId) {
        return role(
                instanceId,
                READ_CLUSTER_ACTIONS,
                READ_INDEX_ACTIONS,
                "read-only access to the indices of one service instance");
    }

    /** The role is mapped from a backend role of its own name, which the instance's binding users carry. */
    static Map<String, Object> mappingFromBackendRole(String role) {
        return Map.of("backend_roles", List.of(role), "description", "users of one service instance");
    }

    private static Map<String, Object> role(
            String instanceId, List<String> clusterActions, List<String> indexActions, String description) {
        return Map.of(
                "description",
                description,
                "cluster_permissions",
                clusterActions,
                "index_permissions",
                List.of(Map.of(
                        "index_patterns",
                        List.of(OpenSearchNames.indexPattern(instanceId)),
                        "allowed_actions",
                        indexActions)));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
