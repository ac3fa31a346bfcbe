package io.paasbroker.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Checks what the OSB spec and the broker require of a catalog; each problem names the entry it is about. */
final class CatalogValidator {

    private CatalogValidator() {}

    static List<String> problems(Catalog catalog) {
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> serviceNames = new HashSet<>();
        if (catalog.services().isEmpty()) {
            problems.add("no services");
        }
        for (ServiceOffering service : catalog.services()) {
            String where = "service '" + service.name() + "'";
            requireText(service.id(), where + ": id", problems);
            requireText(service.name(), where + ": name", problems);
            requireText(service.description(), where + ": description", problems);
            if (service.bindable() == null) {
                problems.add(where + ": bindable is required");
            }
            if (service.kind() == null) {
                problems.add(where + ": kind is required (postgresql, mysql, redis, opensearch or s3)");
            }
            if (service.id() != null && !ids.add(service.id())) {
                problems.add(where + ": duplicate id '" + service.id() + "'");
            }
            if (service.name() != null && !serviceNames.add(service.name())) {
                problems.add(where + ": duplicate service name");
            }
            if (service.plans().isEmpty()) {
                problems.add(where + ": no plans");
            }
            Set<String> planNames = new HashSet<>();
            for (Plan plan : service.plans()) {
                String planWhere = where + " plan '" + plan.name() + "'";
                requireText(plan.id(), planWhere + ": id", problems);
                requireText(plan.name(), planWhere + ": name", problems);
                requireText(plan.description(), planWhere + ": description", problems);
                if (plan.id() != null && !ids.add(plan.id())) {
                    problems.add(planWhere + ": duplicate id '" + plan.id() + "'");
                }
                if (plan.name() != null && !planNames.add(plan.name())) {
                    problems.add(planWhere + ": duplicate plan name in the service");
                }
                if (plan.provisioner() == null || isBlank(plan.provisioner().name())) {
                    problems.add(planWhere + ": provisioner.name is required");
                }
                if (plan.maintenanceInfo() != null
                        && isBlank(plan.maintenanceInfo().version())) {
                    problems.add(planWhere + ": maintenance_info.version is required");
                }
                if (plan.maximumPollingDuration() != null && plan.maximumPollingDuration() <= 0) {
                    problems.add(planWhere + ": maximum_polling_duration must be positive");
                }
                if (plan.backups() != null) {
                    checkBackups(plan.backups(), planWhere + ": backups", problems);
                }
                checkSchema(plan.schemas().provision(), planWhere + ": schemas.service_instance.create", problems);
                checkSchema(plan.schemas().update(), planWhere + ": schemas.service_instance.update", problems);
                checkSchema(plan.schemas().bind(), planWhere + ": schemas.service_binding.create", problems);
            }
        }
        return problems;
    }

    private static void checkBackups(BackupSchedule backups, String where, List<String> problems) {
        try {
            if (backups.every() == null || backups.keep() == null) {
                problems.add(where + ": every and keep are required");
                return;
            }
            if (backups.shortestInterval().compareTo(Duration.ofMinutes(5)) < 0) {
                problems.add(where + ": backups cannot run more often than every 5m");
            }
            if (backups.shortestInterval().compareTo(backups.interval()) > 0) {
                problems.add(where + ": min_every is longer than every");
            }
            if (backups.longestRetention().compareTo(backups.retention()) < 0) {
                problems.add(where + ": max_keep is shorter than keep");
            }
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
        }
    }

    private static void checkSchema(Optional<JsonNode> schema, String where, List<String> problems) {
        schema.ifPresent(s -> JsonSchemas.problemsOfSchema(s).forEach(p -> problems.add(where + ": " + p)));
    }

    private static void requireText(String value, String what, List<String> problems) {
        if (isBlank(value)) {
            problems.add(what + " is required");
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
