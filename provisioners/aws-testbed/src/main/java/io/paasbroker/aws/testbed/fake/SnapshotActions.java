package io.paasbroker.aws.testbed.fake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The OpenSearch actions ({@code cluster:admin/snapshot/create}) of the snapshot API's paths, as the security plugin
 * names them.
 */
final class SnapshotActions {

    private SnapshotActions() {}

    /** The action a request of the snapshot API is; none for any other path. */
    static Optional<String> of(String method, String rawPath) {
        String[] parts = parts(rawPath);
        if (parts.length < 2 || !parts[1].equals("_snapshot")) {
            return Optional.empty();
        }
        boolean writes = method.equals("PUT") || method.equals("POST");
        String verb = writes ? "create" : method.equals("DELETE") ? "delete" : "get";
        String last = parts[parts.length - 1];
        if (parts.length <= 3) {
            return Optional.of("cluster:admin/repository/" + (writes ? "put" : verb));
        }
        return Optional.of(
                switch (last) {
                    case "_restore" -> "cluster:admin/snapshot/restore";
                    case "_status" -> "cluster:admin/snapshot/status";
                    case "_verify" -> "cluster:admin/repository/verify";
                    case "_cleanup" -> "cluster:admin/repository/_cleanup";
                    default -> "cluster:admin/snapshot/" + verb;
                });
    }

    /** The repository a request registers ({@code PUT} or {@code POST /_snapshot/<repository>}); none for others. */
    static Optional<String> registeredRepository(String method, String rawPath) {
        String[] parts = parts(rawPath);
        return (method.equals("PUT") || method.equals("POST")) && parts.length == 3 && parts[1].equals("_snapshot")
                ? Optional.of(URLDecoder.decode(parts[2], StandardCharsets.UTF_8))
                : Optional.empty();
    }

    /** The path's segments after a leading empty one: {@code /_snapshot/repo/} is {@code ["", "_snapshot", "repo"]}. */
    private static String[] parts(String rawPath) {
        return rawPath.split("/");
    }
}
