package io.paasbroker.broker.backup;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One backup of an instance: a row of {@code backups}; its data is the encrypted object {@code objectKey} of the backup
 * store, or the provider's snapshot of that name.
 */
public record BackupRecord(
        String id,
        String instanceId,
        String serviceId,
        String planId,
        Kind kind,
        State state,
        String description,
        String format,
        Storage storage,
        String objectKey,
        Long sizeBytes,
        String sha256,
        String organizationGuid,
        String spaceGuid,
        String namespace,
        String platform,
        String originatingIdentity,
        String operationId,
        Instant startedAt,
        Instant finishedAt,
        Instant expiresAt) {

    public enum Kind {
        SCHEDULED("scheduled"),
        ON_DEMAND("on-demand"),
        FINAL("final");

        private final String column;

        Kind(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }

        static Kind of(String column) {
            for (Kind kind : values()) {
                if (kind.column.equals(column)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown backup kind " + column);
        }
    }

    /** Where the data is: streamed through the broker into its backup store, or a snapshot the provider keeps. */
    public enum Storage {
        STREAM,
        SNAPSHOT;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Storage of(String column) {
            return valueOf(column.toUpperCase(Locale.ROOT));
        }
    }

    public enum State {
        RUNNING,
        COMPLETED,
        FAILED,
        DELETED;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State of(String column) {
            return valueOf(column.toUpperCase(Locale.ROOT));
        }
    }

    /** What owners and operators are shown of a backup: everything but where its object is. */
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("instance_id", instanceId);
        view.put("kind", kind.column());
        view.put("storage", storage.column());
        view.put("state", state.column());
        view.put("description", description);
        view.put("size_bytes", sizeBytes);
        view.put("sha256", sha256);
        view.put("started_at", text(startedAt));
        view.put("finished_at", text(finishedAt));
        view.put("expires_at", text(expiresAt));
        return view;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** Where the instance lived, as a restore compares it. */
    public record Place(String organizationGuid, String spaceGuid, String namespace, String platform) {}

    public Place place() {
        return new Place(organizationGuid, spaceGuid, namespace, platform);
    }
}
