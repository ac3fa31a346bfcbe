package io.paasbroker.broker.backup;

import io.paasbroker.broker.backup.BackupRecord.Kind;
import io.paasbroker.broker.backup.BackupRecord.State;
import io.paasbroker.broker.backup.BackupRecord.Storage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code backups} table. */
public class BackupRepository {

    private static final String COLUMNS = "id, instance_id, service_id, plan_id, kind, state, description, format,"
            + " storage, object_key, size_bytes, sha256, organization_guid, space_guid, namespace, platform,"
            + " originating_identity, operation_id, started_at, finished_at, expires_at";

    private final JdbcClient jdbc;

    public BackupRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a backup as running; false when another one of the instance runs (on this or another replica). */
    public boolean insertRunning(BackupRecord backup) {
        return jdbc.sql("""
                                INSERT INTO backups (id, instance_id, service_id, plan_id, kind, state, format, storage,
                                    object_key, organization_guid, space_guid, namespace, platform, originating_identity,
                                    operation_id)
                                VALUES (:id, :instance, :service, :plan, :kind, 'running', :format, :storage, :objectKey,
                                    :organization, :space, :namespace, :platform, :identity, :operation)
                                ON CONFLICT DO NOTHING
                                """)
                        .param("id", backup.id())
                        .param("instance", backup.instanceId())
                        .param("service", backup.serviceId())
                        .param("plan", backup.planId())
                        .param("kind", backup.kind().column())
                        .param("format", backup.format())
                        .param("storage", backup.storage().column())
                        .param("objectKey", backup.objectKey())
                        .param("organization", backup.organizationGuid())
                        .param("space", backup.spaceGuid())
                        .param("namespace", backup.namespace())
                        .param("platform", backup.platform())
                        .param("identity", backup.originatingIdentity())
                        .param("operation", backup.operationId())
                        .update()
                == 1;
    }

    /** Completes a running backup; false when it is no longer running (another replica marked it interrupted). */
    /** Marks the backup completed; a snapshot has no size or checksum of the broker's. */
    public boolean complete(String id, Long sizeBytes, String sha256, Instant expiresAt) {
        return jdbc.sql("""
                        UPDATE backups SET state = 'completed', size_bytes = :size, sha256 = :sha256,
                            finished_at = now(), expires_at = :expires, description = 'completed'
                        WHERE id = :id AND state = 'running'
                        """)
                        .param("id", id)
                        .param("size", sizeBytes)
                        .param("sha256", sha256)
                        .param("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                        .update()
                == 1;
    }

    public void fail(String id, String description) {
        jdbc.sql("UPDATE backups SET state = 'failed', finished_at = now(), description = ? WHERE id = ?"
                        + " AND state = 'running'")
                .param(description)
                .param(id)
                .update();
    }

    /**
     * Marks as failed the instance's backups still shown as running: called by whoever holds the instance's backup
     * lock, which a running backup keeps until it ends, so a row still running was cut short by a crash.
     */
    public List<BackupRecord> failInterrupted(String instanceId) {
        return jdbc.sql("UPDATE backups SET state = 'failed', finished_at = now(), description = 'interrupted: the"
                        + " broker stopped while the backup ran; the next backup starts from the beginning' WHERE"
                        + " instance_id = ? AND state = 'running' RETURNING " + COLUMNS)
                .param(instanceId)
                .query(BackupRepository::map)
                .list();
    }

    public Optional<BackupRecord> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM backups WHERE id = ?")
                .param(id)
                .query(BackupRepository::map)
                .optional();
    }

    public boolean completedByOperation(String operationId) {
        return jdbc.sql("SELECT count(*) FROM backups WHERE operation_id = ? AND state = 'completed'")
                        .param(operationId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Completed backups of the instance, newest first. */
    public List<BackupRecord> completedOf(String instanceId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM backups WHERE instance_id = ? AND state = 'completed'"
                        + " ORDER BY started_at DESC")
                .param(instanceId)
                .query(BackupRepository::map)
                .list();
    }

    /** Every backup of the instance that was not deleted, newest first: what its owners and operators see. */
    public List<BackupRecord> of(String instanceId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM backups WHERE instance_id = ? AND state <> 'deleted'"
                        + " ORDER BY started_at DESC")
                .param(instanceId)
                .query(BackupRepository::map)
                .list();
    }

    /** Completed backups whose retention ended. */
    public List<BackupRecord> expired(Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM backups WHERE state = 'completed' AND expires_at <= ?"
                        + " ORDER BY expires_at")
                .param(Timestamp.from(now))
                .query(BackupRepository::map)
                .list();
    }

    public void markDeleted(String id) {
        jdbc.sql("UPDATE backups SET state = 'deleted', description = 'deleted' WHERE id = ?")
                .param(id)
                .update();
    }

    /** The instance's newest backup of {@code kind}, whatever became of it (deleted ones aside). */
    public Optional<BackupRecord> latest(String instanceId, Kind kind) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM backups WHERE instance_id = ? AND kind = ? AND state <> 'deleted'"
                        + " ORDER BY started_at DESC LIMIT 1")
                .param(instanceId)
                .param(kind.column())
                .query(BackupRepository::map)
                .optional();
    }

    /** Ids of the instances that are provisioned now: those scheduled backups look at. */
    public List<String> provisionedInstances() {
        return jdbc.sql("SELECT id FROM service_instances WHERE state = 'provisioned' ORDER BY id")
                .query(String.class)
                .list();
    }

    private static BackupRecord map(ResultSet row, int n) throws SQLException {
        return new BackupRecord(
                row.getString("id"),
                row.getString("instance_id"),
                row.getString("service_id"),
                row.getString("plan_id"),
                Kind.of(row.getString("kind")),
                State.of(row.getString("state")),
                row.getString("description"),
                row.getString("format"),
                Storage.of(row.getString("storage")),
                row.getString("object_key"),
                row.getObject("size_bytes", Long.class),
                row.getString("sha256"),
                row.getString("organization_guid"),
                row.getString("space_guid"),
                row.getString("namespace"),
                row.getString("platform"),
                row.getString("originating_identity"),
                row.getString("operation_id"),
                instant(row, "started_at"),
                instant(row, "finished_at"),
                instant(row, "expires_at"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
