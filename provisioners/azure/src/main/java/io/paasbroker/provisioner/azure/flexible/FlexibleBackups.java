package io.paasbroker.provisioner.azure.flexible;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceTags;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.azure.arm.ArmResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Azure's on-demand backups of an instance's flexible server, under the names the broker gives: taken on request
 * (the broker's schedule, {@code {"backup": "now"}}), kept by Azure with the server, deleted when they expire (by the
 * broker for PostgreSQL; MySQL's API deletes none, so Azure does once they are older than the server's retention), and
 * restored into a new server by a point-in-time restore at the moment the backup completed. Azure deletes a server's
 * backups with the server: a backup of a deleted instance cannot be restored.
 */
final class FlexibleBackups implements InstanceSnapshots {

    private final FlexibleServerProvisioner provisioner;
    private final FlexibleEngine engine;

    FlexibleBackups(FlexibleServerProvisioner provisioner, FlexibleEngine engine) {
        this.provisioner = provisioner;
        this.engine = engine;
    }

    @Override
    public String format() {
        return engine.backupFormat();
    }

    @Override
    public StepOutcome startSnapshot(InstanceRequest instance, String name) {
        return pollSnapshot(instance, name);
    }

    /**
     * Done once Azure lists the backup, with the moment it completed; until then the backup is asked for, again at
     * each poll while Azure is busy with another operation on the server (an answer of a backup being taken).
     */
    @Override
    public StepOutcome pollSnapshot(InstanceRequest instance, String name) {
        String backup = backupId(instance, name);
        Optional<String> completed = provisioner
                .arm()
                .find(backup, engine.apiVersion(), "reading backup " + name)
                .flatMap(found -> found.property("completedTime"));
        if (completed.isPresent()) {
            return StepOutcome.Completed.with(Map.of("backup", name, "completed", completed.get()));
        }
        try {
            provisioner.arm().put(backup, engine.apiVersion(), null, "taking backup " + name);
        } catch (BackingServiceUnavailableException e) {
            // busy with another operation (the backup's own, asked before), or throttled: asked again next poll
        }
        return new StepOutcome.InProgress(name, "Azure is taking backup " + name);
    }

    /**
     * Deletes the backup of whichever of this broker's servers has it; one no server has is gone already. An engine
     * whose API deletes no backup (MySQL's) has Azure delete each once it is older than the server's retention.
     */
    @Override
    public void deleteSnapshot(String name) {
        if (!engine.deletesBackups()) {
            return;
        }
        locate(name)
                .ifPresent(located ->
                        provisioner.arm().delete(located.backupId(), engine.apiVersion(), "deleting backup " + name));
    }

    @Override
    public StepOutcome restoreSnapshot(InstanceRequest into, String name) {
        Located located = locate(name)
                .orElseThrow(() -> new ProvisioningFailedException("backup " + name + " is gone: Azure deletes a"
                        + " server's backups with the server, and the instance it was taken of is deleted"));
        Instant completed = Instant.parse(
                located.backup().path("properties").path("completedTime").asText());
        String earliest = located.server()
                .path("properties")
                .path("backup")
                .path("earliestRestoreDate")
                .asText("");
        if (!earliest.isEmpty() && completed.isBefore(Instant.parse(earliest))) {
            throw new ProvisioningFailedException("backup " + name + " completed at " + completed + ", before the"
                    + " earliest moment Azure still restores server "
                    + located.server().path("name").asText() + " to ("
                    + earliest + "): it is older than its plan's backup_retention_days");
        }
        return provisioner.restore(into, located.serverId(), completed);
    }

    private String backupId(InstanceRequest instance, String name) {
        FlexiblePlan plan = FlexibleServerProvisioner.plan(instance.plan());
        return provisioner.id(plan, provisioner.server(instance.instanceId())) + "/backups/" + name;
    }

    /** The backup {@code name} and its server, among this broker's servers in the plans' resource groups. */
    private Optional<Located> locate(String name) {
        for (String group : provisioner.resourceGroups().ids()) {
            List<JsonNode> servers = provisioner
                    .arm()
                    .list(
                            group + "/providers/" + engine.resourceType(),
                            engine.apiVersion(),
                            "listing the servers of " + group);
            for (JsonNode server : servers) {
                if (!provisioner
                        .prefix()
                        .equals(server.path("tags").path(ResourceTags.BROKER).asText())) {
                    continue;
                }
                String backupId = server.path("id").asText() + "/backups/" + name;
                Optional<ArmResponse> backup =
                        provisioner.arm().find(backupId, engine.apiVersion(), "reading backup " + name);
                if (backup.isPresent()) {
                    return Optional.of(
                            new Located(server, backupId, backup.get().body()));
                }
            }
        }
        return Optional.empty();
    }

    private record Located(JsonNode server, String backupId, JsonNode backup) {

        String serverId() {
            return server.path("id").asText();
        }
    }
}
