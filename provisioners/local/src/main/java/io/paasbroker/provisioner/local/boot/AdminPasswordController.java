package io.paasbroker.provisioner.local.boot;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisionerException;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The operators' endpoint that rotates a shared server's admin password; see README, "Rotating the admin password". */
@RestController
public class AdminPasswordController {

    private final AdminPasswordRotator rotator;

    public AdminPasswordController(AdminPasswordRotator rotator) {
        this.rotator = rotator;
    }

    @PostMapping("/admin/servers/{kind}/{name}/admin-password/rotate")
    Map<String, String> rotate(@PathVariable String kind, @PathVariable String name) {
        Instant rotated = rotator.rotate(kind, name);
        return Map.of("server", name, "rotated_at", rotated.toString());
    }

    @ExceptionHandler(UnknownServerException.class)
    ResponseEntity<Map<String, String>> unknownServer(UnknownServerException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(BackingServiceUnavailableException.class)
    ResponseEntity<Map<String, String>> unavailable(BackingServiceUnavailableException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /** The server answered but refused (a missing privilege, neither password taken): the operator must act. */
    @ExceptionHandler(ProvisionerException.class)
    ResponseEntity<Map<String, String>> refused(ProvisionerException e) {
        return error(HttpStatus.BAD_GATEWAY, e.getMessage());
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String description) {
        return ResponseEntity.status(status).body(Map.of("description", description));
    }
}
