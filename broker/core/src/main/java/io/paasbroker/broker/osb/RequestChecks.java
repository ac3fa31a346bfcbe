package io.paasbroker.broker.osb;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.provisioning.PublishedCatalog;
import io.paasbroker.catalog.JsonSchemas;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceOffering;
import io.paasbroker.provisioner.ServiceProvisioner;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerAsyncRequiredException;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerMaintenanceInfoConflictException;
import org.springframework.cloud.servicebroker.model.ServiceBrokerRequest;
import org.springframework.cloud.servicebroker.model.catalog.MaintenanceInfo;

/** The checks every mutating request passes before anything is recorded, so a rejected request changes nothing. */
final class RequestChecks {

    private RequestChecks() {}

    /** A maintenance_info with a version is compared with the plan's; an empty object counts as absent. */
    static Optional<String> maintenanceVersion(MaintenanceInfo given, Plan plan) {
        if (given == null || given.getVersion() == null || given.getVersion().isBlank()) {
            return Optional.empty();
        }
        String planVersion =
                plan.maintenanceInfo() == null ? null : plan.maintenanceInfo().version();
        if (!given.getVersion().equals(planVersion)) {
            throw new ServiceBrokerMaintenanceInfoConflictException("maintenance_info.version " + given.getVersion()
                    + " is not the version of plan '" + plan.name() + "' ("
                    + (planVersion == null ? "the plan has none" : planVersion)
                    + "); refresh the platform's catalog and retry");
        }
        return Optional.of(planVersion);
    }

    static void parameters(Optional<JsonNode> schema, Map<String, Object> parameters, String action) {
        List<String> violations = JsonSchemas.violations(schema, parameters);
        if (!violations.isEmpty()) {
            throw new BadRequestException("invalid " + action + " parameters: " + String.join("; ", violations));
        }
    }

    /**
     * Whether to answer asynchronously: when the platform allows it. A plan that cannot finish within a request
     * refuses platforms that do not allow it.
     */
    static boolean asynchronous(boolean acceptsIncomplete, Plan plan, ServiceProvisioner provisioner) {
        if (acceptsIncomplete) {
            return true;
        }
        if (plan.asyncRequired() || !provisioner.completesSynchronously()) {
            throw new ServiceBrokerAsyncRequiredException(
                    "plan '" + plan.name() + "' works asynchronously only: send accepts_incomplete=true");
        }
        return false;
    }

    /** The plan of the service a request names; an id the catalog does not know is the platform's mistake. */
    static Plan plan(PublishedCatalog catalog, ServiceOffering service, String planId) {
        return catalog.plan(service.id(), planId)
                .orElseThrow(() -> new BadRequestException(
                        "plan_id " + planId + " is not a plan of service '" + service.name() + "'"));
    }

    /**
     * Refuses a request whose identities the state store cannot keep: the request identity (up to 255 characters)
     * and the originating identity's platform (up to 64).
     */
    static void identitiesFit(ServiceBrokerRequest request) {
        fits("X-Broker-API-Request-Identity", request.getRequestIdentity(), 255);
        if (request.getOriginatingIdentity() != null) {
            fits(
                    "the platform of X-Broker-API-Originating-Identity",
                    request.getOriginatingIdentity().getPlatform(),
                    64);
        }
    }

    /** Refuses a value longer than the state store's column that keeps it. */
    static void fits(String what, String value, int width) {
        require(value == null || value.length() <= width, what + " is longer than " + width + " characters");
    }

    static void require(boolean condition, String description) {
        if (!condition) {
            throw new BadRequestException(description);
        }
    }
}
