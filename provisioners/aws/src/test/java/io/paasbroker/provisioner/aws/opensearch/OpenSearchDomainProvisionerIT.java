package io.paasbroker.provisioner.aws.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.aws.TestBedAccount;
import io.paasbroker.provisioner.host.CredentialRefs;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
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
class OpenSearchDomainProvisionerIT extends OpenSearchContract {

    private static final TestBedAccount ACCOUNT = new TestBedAccount(Clock.systemUTC());
    private static final String PREFIX = "pbtest";
    private static final OpenSearchDomainProvisioner PROVISIONER =
            new OpenSearchDomainProvisioner(ACCOUNT.clients, ACCOUNT.masters(), PREFIX);
    private static final Plan SMALL = plan("small", Map.of());

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
                .containsKey(CredentialRefs.master(instance));
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

        update(
                instance,
                plan(
                        "medium-ha",
                        Map.of(
                                "instance_count", 2,
                                "zone_count", 2,
                                "volume_size_gib", 20,
                                "tls_security_policy", "Policy-Min-TLS-1-0-2019-07")));

        DomainStatus domain = describe(instance);
        assertThat(domain.clusterConfig().instanceCount()).isEqualTo(2);
        assertThat(domain.clusterConfig().zoneAwarenessEnabled()).isTrue();
        assertThat(domain.ebsOptions().volumeSize()).isEqualTo(20);
        assertThat(domain.domainEndpointOptions().tlsSecurityPolicyAsString()).isEqualTo("Policy-Min-TLS-1-0-2019-07");
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
    void theMasterUserLogsInWithThePasswordInTheCredentialStoreAndNoBindingHasItsRights() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        Map<String, Object> asMaster = new HashMap<>(credentials.values());
        asMaster.put("username", DomainNames.MASTER_USER);
        asMaster.put("password", ACCOUNT.masters().of(instance));

        JsonNode master =
                new DomainSession(new Credentials(asMaster)).expect("GET", "/_plugins/_security/authinfo", null);
        JsonNode binding = new DomainSession(credentials).expect("GET", "/_plugins/_security/authinfo", null);

        assertThat(master.path("user_name").asText()).isEqualTo(DomainNames.MASTER_USER);
        assertThat(master.path("roles").toString()).contains("all_access");
        assertThat(binding.path("user_name").asText()).isNotEqualTo(DomainNames.MASTER_USER);
        assertThat(binding.path("roles").toString()).doesNotContain("all_access");
        assertThat(credentials.values().values().toString())
                .doesNotContain(ACCOUNT.masters().of(instance));
    }
}
