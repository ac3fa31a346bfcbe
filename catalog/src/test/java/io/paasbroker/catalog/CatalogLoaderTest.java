package io.paasbroker.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class CatalogLoaderTest {

    private static final String FULL_CATALOG = """
            services:
              - id: svc-postgres
                name: postgresql
                description: PostgreSQL databases
                kind: postgresql
                tags: [postgres, relational]
                bindable: true
                instances_retrievable: true
                plan_updateable: true
                plans:
                  - id: plan-pg-small
                    name: small
                    description: A database on the shared server
                    maximum_polling_duration: 600
                    maintenance_info:
                      version: 15.0.0
                      description: PostgreSQL 15
                    provisioner:
                      name: local
                      properties:
                        server: shared
                        connection_limit: 20
                    schemas:
                      service_instance:
                        create:
                          parameters:
                            type: object
                            additionalProperties: false
                            properties:
                              extensions: {type: array, items: {type: string}}
                        update:
                          parameters:
                            type: object
                      service_binding:
                        create:
                          parameters:
                            type: object
                            properties:
                              read_only: {type: boolean}
              - id: svc-mysql
                name: mysql
                description: MySQL databases
                kind: mysql
                bindable: true
                plans:
                  - id: plan-mysql-small
                    name: small
                    description: A MySQL database
                    provisioner: {name: local, properties: {server: shared}}
              - id: svc-redis
                name: redis
                description: Redis key spaces
                kind: redis
                bindable: true
                plans:
                  - id: plan-redis-cache
                    name: cache
                    description: A key prefix on a shared Redis
                    free: false
                    provisioner:
                      name: aws
                      properties: {node_type: cache.t4g.micro, nodes: 2, multi_az: true}
              - id: svc-opensearch
                name: opensearch
                description: OpenSearch index prefixes
                kind: opensearch
                bindable: true
                plans:
                  - id: plan-os-shared
                    name: shared
                    description: An index prefix on a shared cluster
                    bindable: false
                    provisioner: {name: local}
              - id: svc-s3
                name: s3
                description: S3 buckets
                kind: s3
                bindable: false
                plans:
                  - id: plan-s3-bucket
                    name: bucket
                    description: One bucket
                    async_required: true
                    provisioner: {name: azure, properties: {redundancy: [zone, geo]}}
            """;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void validCatalogOfAllFiveKindsLoadsWithPlansSchemasAndMaintenanceInfo() {
        Catalog catalog = CatalogLoader.load(stream(FULL_CATALOG), "full.yml");

        assertThat(catalog.services())
                .extracting(ServiceOffering::kind)
                .containsExactly(
                        ServiceKind.POSTGRESQL,
                        ServiceKind.MYSQL,
                        ServiceKind.REDIS,
                        ServiceKind.OPENSEARCH,
                        ServiceKind.S3);
        ServiceOffering postgres = catalog.service("svc-postgres").orElseThrow();
        assertThat(postgres.tags()).containsExactly("postgres", "relational");
        assertThat(postgres.instancesRetrievable()).isTrue();
        assertThat(postgres.bindingsRetrievable()).isFalse();

        Plan small = catalog.plan("svc-postgres", "plan-pg-small").orElseThrow();
        assertThat(small.maintenanceInfo()).isEqualTo(new MaintenanceInfo("15.0.0", "PostgreSQL 15"));
        assertThat(small.maximumPollingDuration()).isEqualTo(600);
        assertThat(small.free()).isTrue();
        assertThat(postgres.isPlanUpdateable(small)).isTrue();
        assertThat(small.schemas()
                        .provision()
                        .orElseThrow()
                        .at("/properties/extensions/type")
                        .asText())
                .isEqualTo("array");
        assertThat(small.schemas().update()).isPresent();
        assertThat(small.schemas()
                        .bind()
                        .orElseThrow()
                        .at("/properties/read_only/type")
                        .asText())
                .isEqualTo("boolean");
        assertThat(catalog.plan("svc-mysql", "plan-mysql-small")
                        .orElseThrow()
                        .schemas()
                        .provision())
                .isEmpty();
    }

    @Test
    void provisionerPropertiesKeepTheirYamlTypes() {
        Catalog catalog = CatalogLoader.load(stream(FULL_CATALOG), "full.yml");

        assertThat(catalog.plan("svc-postgres", "plan-pg-small").orElseThrow().provisioner())
                .isEqualTo(new ProvisionerSpec("local", Map.of("server", "shared", "connection_limit", 20)));
        assertThat(catalog.plan("svc-redis", "plan-redis-cache").orElseThrow().provisioner())
                .isEqualTo(new ProvisionerSpec(
                        "aws", Map.of("node_type", "cache.t4g.micro", "nodes", 2, "multi_az", true)));
        assertThat(catalog.plan("svc-s3", "plan-s3-bucket")
                        .orElseThrow()
                        .provisioner()
                        .properties())
                .isEqualTo(Map.of("redundancy", List.of("zone", "geo")));
        assertThat(catalog.plan("svc-opensearch", "plan-os-shared")
                        .orElseThrow()
                        .provisioner()
                        .properties())
                .isEmpty();
    }

    @Test
    void planFlagsOverrideOrInheritTheServiceFlags() {
        Catalog catalog = CatalogLoader.load(stream(FULL_CATALOG), "full.yml");

        ServiceOffering opensearch = catalog.service("svc-opensearch").orElseThrow();
        assertThat(opensearch.isBindable(opensearch.plans().get(0))).isFalse();
        ServiceOffering mysql = catalog.service("svc-mysql").orElseThrow();
        assertThat(mysql.isBindable(mysql.plans().get(0))).isTrue();
        assertThat(mysql.isPlanUpdateable(mysql.plans().get(0))).isFalse();
        Plan bucket = catalog.plan("svc-s3", "plan-s3-bucket").orElseThrow();
        assertThat(bucket.asyncRequired()).isTrue();
        assertThat(catalog.plan("svc-redis", "plan-redis-cache").orElseThrow().free())
                .isFalse();
    }

    @Test
    void duplicateServiceIdStopsLoadingAndNamesTheService() {
        Map<String, Object> catalog = twoServices();
        service(catalog, 1).put("id", "svc-postgres");

        assertInvalid(catalog).hasMessageContaining("service 'mysql': duplicate id 'svc-postgres'");
    }

    @Test
    void duplicatePlanIdWithinAServiceStopsLoadingAndNamesThePlan() {
        Map<String, Object> catalog = twoServices();
        plans(catalog, 0).add(plan("plan-pg-small", "large"));

        assertInvalid(catalog).hasMessageContaining("service 'postgresql' plan 'large': duplicate id 'plan-pg-small'");
    }

    @Test
    void duplicatePlanIdAcrossServicesStopsLoadingAndNamesThePlan() {
        Map<String, Object> catalog = twoServices();
        plan(catalog, 1, 0).put("id", "plan-pg-small");

        assertInvalid(catalog).hasMessageContaining("service 'mysql' plan 'small': duplicate id 'plan-pg-small'");
    }

    @Test
    void duplicatePlanNameInAServiceStopsLoadingAndNamesThePlan() {
        Map<String, Object> catalog = twoServices();
        plans(catalog, 0).add(plan("plan-pg-other", "small"));

        assertInvalid(catalog).hasMessageContaining("service 'postgresql' plan 'small': duplicate plan name");
    }

    @Test
    void samePlanNameInTwoServicesIsAllowed() {
        Map<String, Object> catalog = twoServices();

        assertThat(CatalogLoader.load(stream(yaml(catalog)), "test.yml").services())
                .allSatisfy(s -> assertThat(s.plans().get(0).name()).isEqualTo("small"));
    }

    @Test
    void missingBindableStopsLoadingAndNamesTheService() {
        Map<String, Object> catalog = twoServices();
        service(catalog, 1).remove("bindable");

        assertInvalid(catalog).hasMessageContaining("service 'mysql': bindable is required");
    }

    @Test
    void missingKindStopsLoadingAndNamesTheService() {
        Map<String, Object> catalog = twoServices();
        service(catalog, 0).remove("kind");

        assertInvalid(catalog).hasMessageContaining("service 'postgresql': kind is required");
    }

    @Test
    void missingProvisionerNameStopsLoadingAndNamesThePlan() {
        Map<String, Object> catalog = twoServices();
        plan(catalog, 1, 0).put("provisioner", Map.of("properties", Map.of("server", "shared")));

        assertInvalid(catalog).hasMessageContaining("service 'mysql' plan 'small': provisioner.name is required");
    }

    @Test
    void aBackupScheduleIsReadWithItsLimits() {
        Map<String, Object> catalog = twoServices();
        plan(catalog, 0, 0).put("backups", Map.of("every", "24h", "keep", "7d", "min_every", "1h", "max_keep", "35d"));

        BackupSchedule schedule = CatalogLoader.load(stream(yaml(catalog)), "test.yml")
                .services()
                .get(0)
                .plans()
                .get(0)
                .backups();

        assertThat(schedule.interval()).isEqualTo(Duration.ofHours(24));
        assertThat(schedule.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(schedule.shortestInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(schedule.longestRetention()).isEqualTo(Duration.ofDays(35));
    }

    @Test
    void aBackupScheduleThatIsNoDurationOrOutsideItsLimitsStopsLoadingAndNamesThePlan() {
        Map<String, Object> catalog = twoServices();
        plan(catalog, 0, 0).put("backups", Map.of("every", "daily", "keep", "7d"));
        plan(catalog, 1, 0).put("backups", Map.of("every", "1h", "keep", "7d", "min_every", "2h", "max_keep", "1d"));

        assertInvalid(catalog)
                .hasMessageContaining("service 'postgresql' plan 'small': backups: 'daily' is not a duration")
                .hasMessageContaining("service 'mysql' plan 'small': backups: min_every is longer than every")
                .hasMessageContaining("service 'mysql' plan 'small': backups: max_keep is shorter than keep");
    }

    @Test
    void misspeltKeyStopsLoadingAndNamesTheKeyAndThePlan() {
        Map<String, Object> catalog = twoServices();
        plan(catalog, 1, 0).put("bindabel", true);

        assertInvalid(catalog).hasMessageContaining("service 'mysql' plan 'small': unknown key 'bindabel'");
    }

    @Test
    void repeatedKeyStopsLoadingInsteadOfKeepingTheLastValue() {
        String twoPlanLists = """
                services:
                  - id: svc-postgres
                    name: postgresql
                    description: PostgreSQL databases
                    kind: postgresql
                    bindable: true
                    plans:
                      - {id: plan-a, name: a, description: A, provisioner: {name: local}}
                    plans:
                      - {id: plan-b, name: b, description: B, provisioner: {name: local}}
                """;

        assertThatThrownBy(() -> CatalogLoader.load(stream(twoPlanLists), "test.yml"))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessageContaining("service 'postgresql'")
                .hasMessageContaining("Duplicate field 'plans'");
    }

    @Test
    void misspeltNestedKeyNamesTheKeyPathWithinThePlan() {
        Map<String, Object> catalog = twoServices();
        plan(catalog, 0, 0).put("maintenance_info", Map.of("verison", "1.0.0"));

        assertInvalid(catalog)
                .hasMessageContaining("service 'postgresql' plan 'small': maintenance_info: unknown key 'verison'");
    }

    @Test
    void unknownKindStopsLoadingAndNamesTheKindAndTheService() {
        Map<String, Object> catalog = twoServices();
        service(catalog, 1).put("kind", "mongodb");

        assertInvalid(catalog).hasMessageContaining("service 'mysql': kind: unknown service kind 'mongodb'");
    }

    @Test
    void schemaWithAnUnknownTypeStopsLoadingAndNamesThePlanAndTheSchema() {
        Map<String, Object> catalog = twoServices();
        plan(catalog, 0, 0).put("schemas", provisionSchema(Map.of("type", "strin")));

        assertInvalid(catalog)
                .hasMessageContaining("service 'postgresql' plan 'small': schemas.service_instance.create: ")
                .hasMessageContaining("$.type: does not have a value in the enumeration");
    }

    @Test
    void aSchemaKeyWithoutAValueStopsLoadingAndSaysToQuoteTheText() {
        Map<String, Object> catalog = twoServices();
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("type", "array");
        extensions.put("description", "PostgreSQL extensions to create");
        extensions.put("among the plan's", null);
        plan(catalog, 0, 0).put("schemas", provisionSchema(Map.of("properties", Map.of("extensions", extensions))));

        assertInvalid(catalog)
                .hasMessageContaining("service 'postgresql' plan 'small': schemas.service_instance.create: "
                        + "$.properties.extensions.among the plan's: has no value (a text holding ', ' inside {...}"
                        + " must be quoted)");
    }

    @Test
    void aKeyWithoutAValueInsideAListOfSchemasStopsLoadingAndANullDefaultDoesNot() {
        Map<String, Object> catalog = twoServices();
        Map<String, Object> cut = new LinkedHashMap<>();
        cut.put("type", "string");
        cut.put("among the plan's", null);
        Map<String, Object> nullable = new LinkedHashMap<>();
        nullable.put("type", List.of("string", "null"));
        nullable.put("default", null);
        plan(catalog, 0, 0)
                .put(
                        "schemas",
                        provisionSchema(Map.of(
                                "properties", Map.of("window", Map.of("anyOf", List.of(cut)), "note", nullable))));

        InvalidCatalogException e = catchInvalid(catalog);

        assertThat(e.problems())
                .singleElement()
                .asString()
                .contains("$.properties.window.anyOf[0].among the plan's: has no value");
    }

    @Test
    void schemaWithPropertiesThatAreNoObjectStopsLoadingAndNamesThePlanAndTheSchema() {
        Map<String, Object> catalog = twoServices();
        plan(catalog, 1, 0)
                .put(
                        "schemas",
                        Map.of("service_binding", Map.of("create", Map.of("parameters", Map.of("properties", 5)))));

        assertInvalid(catalog)
                .hasMessageContaining("service 'mysql' plan 'small': schemas.service_binding.create: ")
                .hasMessageContaining("$.properties: integer found, object expected");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, Object> catalog = twoServices();
        service(catalog, 0).remove("bindable");
        plan(catalog, 1, 0).put("id", "plan-pg-small");

        InvalidCatalogException e = catchInvalid(catalog);

        assertThat(e.problems())
                .containsExactly(
                        "service 'postgresql': bindable is required",
                        "service 'mysql' plan 'small': duplicate id 'plan-pg-small'");
        assertThat(e).hasMessageStartingWith("invalid catalog test.yml:");
    }

    @Test
    void emptyFileStopsLoading() {
        assertThatThrownBy(() -> CatalogLoader.load(stream(""), "empty.yml"))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessageContaining("empty.yml");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(Map<String, Object> catalog) {
        return assertThat(catchInvalid(catalog)).hasMessageContaining("test.yml");
    }

    private static InvalidCatalogException catchInvalid(Map<String, Object> catalog) {
        String text = yaml(catalog);
        Throwable thrown = catchThrowable(() -> CatalogLoader.load(stream(text), "test.yml"));
        assertThat(thrown).as("loading%n%s", text).isInstanceOf(InvalidCatalogException.class);
        return (InvalidCatalogException) thrown;
    }

    /** A valid catalog, as the mutable tree a YAML file reads into, that each test breaks in one place. */
    private static Map<String, Object> twoServices() {
        Map<String, Object> catalog = new LinkedHashMap<>();
        catalog.put(
                "services",
                new ArrayList<>(List.of(
                        service("svc-postgres", "postgresql", plan("plan-pg-small", "small")),
                        service("svc-mysql", "mysql", plan("plan-mysql-small", "small")))));
        return catalog;
    }

    private static Map<String, Object> service(String id, String kind, Map<String, Object> plan) {
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("id", id);
        service.put("name", kind);
        service.put("description", "Databases of " + kind);
        service.put("kind", kind);
        service.put("bindable", true);
        service.put("plans", new ArrayList<>(List.of(plan)));
        return service;
    }

    private static Map<String, Object> plan(String id, String name) {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("id", id);
        plan.put("name", name);
        plan.put("description", "The " + name + " plan");
        plan.put("provisioner", Map.of("name", "local", "properties", Map.of("server", "shared")));
        return plan;
    }

    private static Map<String, Object> provisionSchema(Map<String, Object> parameters) {
        return Map.of("service_instance", Map.of("create", Map.of("parameters", parameters)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(Map<String, Object> catalog, int index) {
        return ((List<Map<String, Object>>) catalog.get("services")).get(index);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> plans(Map<String, Object> catalog, int service) {
        return (List<Map<String, Object>>) service(catalog, service).get("plans");
    }

    private static Map<String, Object> plan(Map<String, Object> catalog, int service, int index) {
        return plans(catalog, service).get(index);
    }

    private static String yaml(Map<String, Object> catalog) {
        try {
            return YAML.writeValueAsString(catalog);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
