package io.paasbroker.provisioner.aws.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.ServiceProvisionerContract;
import io.paasbroker.provisioner.aws.AwsPlans;
import io.paasbroker.provisioner.aws.TestBedAccount;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;

/**
 * The provisioner contract and OpenSearch Service's rules for OpenSearch plans, through the unmodified SDK against the
 * fake OpenSearch Service of the test bed, a real OpenSearch node with the security plugin behind each domain; every
 * request the suite sends must pass the gate.
 */
class OpenSearchDomainProvisionerIT extends ServiceProvisionerContract {

    private static final TestBedAccount ACCOUNT = new TestBedAccount(Clock.systemUTC());
    private static final String PREFIX = "pbtest";
    private static final OpenSearchDomainProvisioner PROVISIONER =
            new OpenSearchDomainProvisioner(ACCOUNT.clients, ACCOUNT.masters(), PREFIX);
    private static final Plan SMALL = plan("small", Map.of());
    private static final String MARKERS = "markers";

    @AfterAll
    static void everyActionUsedIsInTheShippedIamPolicyAndTheTestBedStops() {
        ACCOUNT.closeCheckingTheIamPolicy("es:CreateDomain", "es:DescribeDomain", "es:DeleteDomain", "es:AddTags");
    }

    @AfterEach
    void everyRequestPassedTheGate() {
        assertThat(ACCOUNT.bed.takeViolations())
                .as("requests AWS's models refuse")
                .isEmpty();
    }

    static Plan plan(String name, Map<String, Object> overrides) {
        return AwsPlans.plan(
                "opensearch",
                name,
                "OpenSearch with a domain of its own",
                Map.of("engine_version", "OpenSearch_2.19", "instance_type", "t3.small.search"),
                overrides);
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return PROVISIONER;
    }

    @Override
    protected Plan plan() {
        return SMALL;
    }

    /** A domain's node takes half a minute or so to start on a busy machine. */
    @Override
    protected Duration stepTimeout() {
        return Duration.ofSeconds(180);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofMillis(250);
    }

    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        String domain = PROVISIONER.domainName(instanceId);
        return ACCOUNT.bed.openSearch().domainNames().contains(domain) ? List.of("domain:" + domain) : List.of();
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        DomainSession session = new DomainSession(credentials);
        return new TenantSession() {
            @Override
            public void writeMarker(String marker) {
                session.expect(
                        "PUT",
                        "/" + markers(credentials) + "/_doc/marker?refresh=true",
                        "{\"value\":\"" + marker + "\"}");
            }

            @Override
            public String readMarker() {
                return readMarkerOf(credentials);
            }

            @Override
            public String readMarkerOf(Credentials other) {
                DomainSession.Answer answer = session.send("GET", "/" + markers(other) + "/_doc/marker", null);
                if (answer.status() == 404 && other == credentials) {
                    return null;
                }
                if (answer.status() != 200) {
                    throw new IllegalStateException("HTTP " + answer.status() + " " + answer.body());
                }
                return answer.body().path("_source").path("value").asText();
            }

            @Override
            public void close() {}
        };
    }

    private static String markers(Credentials credentials) {
        return credentials.values().get("index_prefix") + MARKERS;
    }

    private static OpenSearchClient openSearch() {
        return ACCOUNT.bed.openSearch().client(ACCOUNT.bed.accessKey());
    }

    private static DomainStatus describe(String instance) {
        return openSearch()
                .describeDomain(b -> b.domainName(PROVISIONER.domainName(instance)))
                .domainStatus();
    }

    @Test
    void theDomainIsEncryptedHttpsOnlyWithFineGrainedAccessControlAndTagged() {
        String instance = provision();
        DomainStatus domain = describe(instance);

        assertThat(domain.encryptionAtRestOptions().enabled()).isTrue();
        assertThat(domain.nodeToNodeEncryptionOptions().enabled()).isTrue();
        assertThat(domain.domainEndpointOptions().enforceHTTPS()).isTrue();
        assertThat(domain.advancedSecurityOptions().enabled()).isTrue();
        assertThat(domain.clusterConfig().instanceTypeAsString()).isEqualTo("t3.small.search");
        assertThat(domain.ebsOptions().volumeSize()).isEqualTo(10);
        assertThat(domain.accessPolicies()).contains("domain/" + PROVISIONER.domainName(instance) + "/*");
        assertThat(openSearch().listTags(b -> b.arn(domain.arn())).tagList()).anySatisfy(tag -> {
            assertThat(tag.key()).isEqualTo("paasbroker:instance");
            assertThat(tag.value()).isEqualTo(instance);
        });
        assertThat(request(instance).outputs()).containsKeys("domain", "endpoint", "index_prefix");
        assertThat(ACCOUNT.secrets)
                .as("the master password is in the credential store")
                .isNotEmpty();
    }

    @Test
    void aReadOnlyBindingReadsTheInstanceButCannotWriteOrReachOtherIndices() {
        String instance = provision();
        Credentials writer = bind(instance, newId());
        Credentials reader = bind(instance, newId(), Map.of("read_only", true));
        writeThenRead(writer, "written-by-the-writer");

        DomainSession session = new DomainSession(reader);
        assertThat(read(reader)).isEqualTo("written-by-the-writer");
        assertThat(session.send("PUT", "/" + markers(reader) + "/_doc/other", "{\"value\":\"x\"}")
                        .status())
                .isEqualTo(403);
        assertThat(session.send("GET", "/_cat/indices", null).status()).isEqualTo(403);
        assertThat(session.send("GET", "/.opendistro_security/_search", null).status())
                .isEqualTo(403);
    }

    @Test
    void anUpdateChangesTheNodesInPlaceAndRefusesWhatADomainCannotTake() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        writeThenRead(credentials, "kept");

        update(instance, plan("medium-ha", Map.of("instance_count", 2, "zone_count", 2, "volume_size_gib", 20)));

        DomainStatus domain = describe(instance);
        assertThat(domain.clusterConfig().instanceCount()).isEqualTo(2);
        assertThat(domain.clusterConfig().zoneAwarenessEnabled()).isTrue();
        assertThat(domain.ebsOptions().volumeSize()).isEqualTo(20);
        assertThat(read(credentials)).isEqualTo("kept");
        assertThatThrownBy(() -> PROVISIONER.checkPlanChange(
                        plan("big", Map.of("volume_size_gib", 20)), plan("small", Map.of())))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("smaller");
        assertThatThrownBy(() ->
                        PROVISIONER.checkPlanChange(SMALL, plan("next", Map.of("engine_version", "OpenSearch_2.17"))))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("engine");
    }

    @Test
    void aStreamedBackupRestoresIntoANewDomain() {
        String source = provision();
        writeThenRead(bind(source, newId()), "backed-up");
        byte[] backup = backup(source);

        String target = provision();
        restore(target, backup);

        assertThat(read(bind(target, newId()))).isEqualTo("backed-up");
    }

    @Test
    void plansOpenSearchServiceWouldRefuseStopTheBrokerAtStartUp() {
        assertThatThrownBy(() -> PROVISIONER.checkPlan(plan("odd", Map.of("instance_count", 3, "zone_count", 2))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("multiple of zone_count");
        assertThatThrownBy(() -> PROVISIONER.checkPlan(plan("es", Map.of("engine_version", "Elasticsearch_7.10"))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("engine_version");
        assertThatThrownBy(() -> new OpenSearchDomainProvisioner(
                                ACCOUNT.clients, ACCOUNT.masters(), "a-much-too-long-prefix")
                        .checkPlan(SMALL))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("at most 28");
    }

    @Test
    void theMasterUserIsThePasswordInTheCredentialStoreAndNoBindingSeesIt() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        JsonNode whoami = new DomainSession(credentials).expect("GET", "/_plugins/_security/authinfo", null);

        assertThat(whoami.path("user_name").asText()).isNotEqualTo(DomainNames.MASTER_USER);
        assertThat(whoami.path("roles").toString()).doesNotContain("all_access");
        assertThat(credentials.values().values().toString())
                .doesNotContain(ACCOUNT.masters().of(instance));
    }
}
