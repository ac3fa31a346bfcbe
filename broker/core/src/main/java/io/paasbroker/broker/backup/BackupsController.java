package io.paasbroker.broker.backup;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The operators' view of backups (under /admin, operator credentials): list an instance's, read and delete one. */
@RestController
public class BackupsController {

    private final Backups backups;
    private final BackupRepository repository;

    public BackupsController(Backups backups, BackupRepository repository) {
        this.backups = backups;
        this.repository = repository;
    }

    @GetMapping("/admin/instances/{instanceId}/backups")
    Map<String, List<Map<String, Object>>> ofInstance(@PathVariable String instanceId) {
        return Map.of(
                "backups",
                backups.of(instanceId).stream().map(BackupRecord::view).toList());
    }

    @GetMapping("/admin/backups/{id}")
    ResponseEntity<Map<String, Object>> one(@PathVariable String id) {
        return repository
                .find(id)
                .filter(b -> b.state() != BackupRecord.State.DELETED)
                .map(b -> ResponseEntity.ok(b.view()))
                .orElseGet(() -> notFound(id));
    }

    /** Deletes a completed or failed backup's object and marks it deleted; a running one cannot be deleted. */
    @DeleteMapping("/admin/backups/{id}")
    ResponseEntity<Map<String, Object>> delete(@PathVariable String id) {
        BackupRecord backup = repository
                .find(id)
                .filter(b -> b.state() != BackupRecord.State.DELETED)
                .orElse(null);
        if (backup == null) {
            return notFound(id);
        }
        if (backup.state() == BackupRecord.State.RUNNING) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of("description", "backup " + id + " is running; delete it once it has ended"));
        }
        backups.delete(backup);
        return ResponseEntity.ok(Map.of());
    }

    private static ResponseEntity<Map<String, Object>> notFound(String id) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("description", "no backup " + id));
    }
}
