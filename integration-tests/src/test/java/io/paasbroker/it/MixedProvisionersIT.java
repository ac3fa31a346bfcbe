package io.paasbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.broker.support.OsbClient;
import io.paasbroker.it.isolation.DedicatedPostgresProbe;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One broker whose one PostgreSQL service has a plan of each provisioner ({@code catalog-mixed.yml}), started as the
 * README's "Mixing provisioners in one catalog" starts it: the embedded default (its PostgreSQL serves the local plan
 * and keeps the broker's state), and the settings of the AWS and the Azure test beds at once. A platform sees one
 * service, and an application cannot tell its plans' bindings apart, except that each reaches its own database alone.
 * The embedded default rather than the tests' shared PostgreSQL: its server speaks TLS, as RDS and flexible servers do,
 * so the bindings can have one shape, and the catalog runs as shipped ({@code server: embedded}).
 */
class MixedProvisionersIT {

    private static final String SERVICE = "674e7277-c88e-4659-8c3d-721afd2b86a2";
    private static final String LOCAL = "49d4c24f-8986-4f89-b5b7-23a46770545c";
    private static final String AWS = "92001c4c-840e-48a4-8239-c25a4835f059";
    private static final String AZURE = "07ed626a-7d33-48ab-a1b4-655539991d5c";

    private static AwsTestBedBrokers aws;
    private static AzureTestBedBrokers azure;
    private static BrokerProcess broker;

    @BeforeAll
    static void brokerAgainstBothTestBeds() {
        aws = new AwsTestBedBrokers();
        azure = new AzureTestBedBrokers();
        List<String> properties = new ArrayList<>(List.of(
                "paasbroker.catalog=classpath:catalog-mixed.yml",
                // the local plan needs the embedded PostgreSQL alone
                "paasbroker.embedded.mysql=false",
                "paasbroker.embedded.redis=false",
                "paasbroker.embedded.opensearch=false",
                "paasbroker.operations.poll-interval=200ms"));
        properties.addAll(aws.testBedProperties());
        properties.addAll(azure.testBedProperties());
        Map<String, String> environment = new HashMap<>(aws.brokerEnvironment());
        environment.putAll(azure.brokerEnvironment());
        broker = aws.started(BrokerProcess.start(
                "mixed",
                Path.of("target", "it-work", "mixed-" + UUID.randomUUID()),
                properties,
                List.of(),
                environment));
    }

    @AfterAll
    static void stopBrokerAndTestBeds() {
        try (AzureTestBedBrokers azureBed = azure) {
            aws.close();
        }
    }

    @Test
    void theCatalogShowsOneServiceWithAPlanOfEachProvisioner() {
        JsonNode services = broker.client().get("/v2/catalog").body().get("services");

        assertThat(services).hasSize(1);
        assertThat(services.get(0).get("id").asText()).isEqualTo(SERVICE);
        // a plan whose provisioner refused it stops the broker; one whose provisioner lacks the kind is left out
        assertThat(services.get(0).get("plans").findValuesAsText("id")).containsExactly(LOCAL, AWS, AZURE);
    }

    @Test
    void eachPlansBindingReachesItsOwnDatabaseAloneInOneShapeAndInstancesStayWithTheirProvisioner() throws Exception {
        Map<String, DedicatedPostgresProbe> probes = new LinkedHashMap<>();
        probes.put(LOCAL, new DedicatedPostgresProbe("local", SERVICE, LOCAL, List.of("postgres")));
        probes.put(AWS, new DedicatedPostgresProbe("aws", SERVICE, AWS, List.of("pbmaster", "rds_superuser")));
        probes.put(AZURE, new DedicatedPostgresProbe("azure", SERVICE, AZURE, List.of("pbadmin", "azure_pg_admin")));
        Map<String, String> instances = new LinkedHashMap<>();
        probes.keySet().forEach(plan -> {
            String instance = id();
            assertThat(platform(plan).provision(instance, true).status()).isIn(201, 202);
            instances.put(plan, instance);
        });
        Map<String, JsonNode> credentials = new LinkedHashMap<>();
        Map<String, String> bindings = new LinkedHashMap<>();
        for (String plan : probes.keySet()) {
            assertThat(platform(plan).awaitInstance(instances.get(plan)).text("state"))
                    .isEqualTo("succeeded");
            String binding = id();
            bindings.put(plan, binding);
            credentials.put(plan, bound(platform(plan), instances.get(plan), binding));
        }

        Set<String> localKeys = keys(credentials.get(LOCAL));
        assertThat(localKeys).contains("jdbcUrl", "uri", "username", "password", "ca_certificate");
        assertThat(keys(credentials.get(AWS))).as("an aws binding's keys").isEqualTo(localKeys);
        assertThat(keys(credentials.get(AZURE))).as("an azure binding's keys").isEqualTo(localKeys);
        for (String plan : probes.keySet()) {
            probes.get(plan).write(credentials.get(plan), "data of " + probes.get(plan));
        }
        for (String intruder : probes.keySet()) {
            for (String victim : probes.keySet()) {
                if (!intruder.equals(victim)) {
                    // the intruder's probe: what it tries on its own server names that server's administrators
                    probes.get(intruder)
                            .attacks(credentials.get(intruder), credentials.get(victim))
                            .forEach((what, attempt) -> assertThat(catchThrowable(attempt::run))
                                    .as(
                                            "a binding of plan %s may not %s of plan %s",
                                            probes.get(intruder), what, probes.get(victim))
                                    .isNotNull());
                }
            }
        }
        for (String plan : probes.keySet()) {
            assertThat(probes.get(plan).read(credentials.get(plan))).isEqualTo("data of " + probes.get(plan));
        }

        // another provisioner's backup or instance is no source to restore from: refused before anything is made
        JsonNode localBackup = platform(LOCAL).backUpNow(instances.get(LOCAL), "stream");
        OsbClient.Response fromBackup = platform(AWS)
                .provision(
                        id(),
                        true,
                        Map.of("restore_from_backup", localBackup.get("id").asText()));
        assertThat(fromBackup.status()).as(fromBackup.toString()).isEqualTo(400);
        assertThat(fromBackup.text("description")).contains("does not read");
        OsbClient.Response toPointInTime = platform(AZURE)
                .provision(
                        id(),
                        true,
                        Map.of(
                                "restore_to_point_in_time_of",
                                instances.get(AWS),
                                "restore_time",
                                Instant.now().toString()));
        assertThat(toPointInTime.status()).as(toPointInTime.toString()).isEqualTo(400);
        assertThat(toPointInTime.text("description")).contains("served by another provisioner");

        assertMovesAreRefused(instances.get(LOCAL), LOCAL, AWS);
        assertMovesAreRefused(instances.get(AWS), AWS, AZURE);
        assertMovesAreRefused(instances.get(AZURE), AZURE, LOCAL);

        List<String> secrets = new ArrayList<>(aws.secretsOf(aws.rdsIdentifierOf(instances.get(AWS))));
        secrets.addAll(azure.secrets());
        for (String plan : probes.keySet()) {
            Platform platform = platform(plan);
            String instance = instances.get(plan);
            assertThat(platform.unbind(instance, bindings.get(plan), true).status())
                    .isIn(200, 202);
            assertThat(platform.awaitBinding(instance, bindings.get(plan)).status())
                    .isEqualTo(410);
            assertThat(probes.get(plan).canConnect(credentials.get(plan)))
                    .as("an unbound login of plan %s", probes.get(plan))
                    .isFalse();
            secrets.add(credentials.get(plan).get("password").asText());
            assertThat(platform.deprovision(instance, true).status()).isIn(200, 202);
            assertThat(platform.awaitInstance(instance).status()).isEqualTo(410);
        }
        assertThat(aws.rds().describeDBInstances().dbInstances())
                .as("RDS instances left")
                .isEmpty();
        assertThat(aws.bucketsAndIamUsers()).as("buckets and IAM users left").isEmpty();
        assertThat(azure.flexibleServers()).as("flexible servers left").isEmpty();
        aws.assertNoViolations();
        azure.assertNoViolations();
        broker.assertLogHoldsNone(
                "secrets (the AWS secret key, the service principal's, master, administrator and binding passwords)",
                secrets);
    }

    /** A plan change to another provisioner's plan is refused, and the instance stays on its plan. */
    private static void assertMovesAreRefused(String instance, String from, String to) {
        OsbClient.Response refused = platform(to).update(instance, true, Map.of());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.text("description"))
                .startsWith("Service instance update not supported: plans '")
                .contains("are served by different provisioners; create a new instance of plan '");
        assertThat(broker.client().get("/v2/service_instances/" + instance).text("plan_id"))
                .isEqualTo(from);
    }

    /** The credentials of a new binding, bound as Cloud Foundry binds: asynchronously, polled to its end. */
    private static JsonNode bound(Platform platform, String instance, String binding) {
        assertThat(platform.bind(instance, binding, true).status()).isIn(201, 202);
        assertThat(platform.awaitBinding(instance, binding).text("state")).isEqualTo("succeeded");
        return platform.credentials(instance, binding);
    }

    private static Set<String> keys(JsonNode credentials) {
        Set<String> keys = new TreeSet<>();
        credentials.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static Platform platform(String plan) {
        return new Platform(broker.client(), SERVICE, plan);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
