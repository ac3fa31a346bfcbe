package io.paasbroker.broker.osb;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.catalog.Catalog;
import io.paasbroker.catalog.Plan;
import io.paasbroker.catalog.ServiceOffering;
import java.util.Map;
import org.springframework.cloud.servicebroker.model.catalog.MaintenanceInfo;
import org.springframework.cloud.servicebroker.model.catalog.MethodSchema;
import org.springframework.cloud.servicebroker.model.catalog.Schemas;
import org.springframework.cloud.servicebroker.model.catalog.ServiceBindingSchema;
import org.springframework.cloud.servicebroker.model.catalog.ServiceDefinition;
import org.springframework.cloud.servicebroker.model.catalog.ServiceInstanceSchema;

/** Turns the published catalog into the framework's model, which serves GET /v2/catalog. */
public final class OsbCatalogMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OsbCatalogMapper() {}

    public static org.springframework.cloud.servicebroker.model.catalog.Catalog toOsb(Catalog catalog) {
        return org.springframework.cloud.servicebroker.model.catalog.Catalog.builder()
                .serviceDefinitions(catalog.services().stream()
                        .map(OsbCatalogMapper::service)
                        .toList())
                .build();
    }

    private static ServiceDefinition service(ServiceOffering service) {
        return ServiceDefinition.builder()
                .id(service.id())
                .name(service.name())
                .description(service.description())
                .bindable(service.bindable())
                .planUpdateable(service.planUpdateable())
                .instancesRetrievable(service.instancesRetrievable())
                .bindingsRetrievable(service.bindingsRetrievable())
                .allowContextUpdates(service.allowContextUpdates())
                .tags(service.tags())
                .metadata(service.metadata())
                .plans(service.plans().stream().map(OsbCatalogMapper::plan).toList())
                .build();
    }

    private static org.springframework.cloud.servicebroker.model.catalog.Plan plan(Plan plan) {
        var builder = org.springframework.cloud.servicebroker.model.catalog.Plan.builder()
                .id(plan.id())
                .name(plan.name())
                .description(plan.description())
                .free(plan.free())
                .metadata(plan.metadata())
                .maximumPollingDuration(plan.maximumPollingDuration())
                .schemas(schemas(plan));
        if (plan.bindable() != null) {
            builder.bindable(plan.bindable());
        }
        if (plan.planUpdateable() != null) {
            builder.planUpdateable(plan.planUpdateable());
        }
        if (plan.maintenanceInfo() != null) {
            builder.maintenanceInfo(MaintenanceInfo.builder()
                    .version(plan.maintenanceInfo().version())
                    .description(plan.maintenanceInfo().description())
                    .build());
        }
        return builder.build();
    }

    /** Only the schemas a plan has: an empty schema would tell the platform that anything goes. */
    private static Schemas schemas(Plan plan) {
        ServiceInstanceSchema.ServiceInstanceSchemaBuilder instance = ServiceInstanceSchema.builder();
        plan.schemas().provision().map(OsbCatalogMapper::method).ifPresent(instance::createMethodSchema);
        plan.schemas().update().map(OsbCatalogMapper::method).ifPresent(instance::updateMethodSchema);
        Schemas.SchemasBuilder schemas = Schemas.builder().serviceInstanceSchema(instance.build());
        plan.schemas()
                .bind()
                .map(OsbCatalogMapper::method)
                .ifPresent(m -> schemas.serviceBindingSchema(
                        ServiceBindingSchema.builder().createMethodSchema(m).build()));
        return schemas.build();
    }

    private static MethodSchema method(JsonNode schema) {
        return MethodSchema.builder()
                .parameters(JSON.convertValue(schema, new TypeReference<Map<String, Object>>() {}))
                .build();
    }
}
