package io.paasbroker.provisioner.aws.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.aws.testbed.AwsTestBed;
import io.paasbroker.aws.testbed.fake.FakeRds;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InstanceSnapshots;
import io.paasbroker.provisioner.InvalidPlanException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.aws.TestBedAccount;
import io.paasbroker.provisioner.host.CredentialRefs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;
import software.amazon.awssdk.services.s3.model.S3Object;

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
    private static final Plan SNAPSHOTTED = plan(
            "snapshotted",
            Map.of(
                    "snapshot_bucket", AwsTestBed.SNAPSHOT_BUCKET,
                    "snapshot_role_arn", AwsTestBed.SNAPSHOT_ROLE_ARN));

    @AfterAll
    static void everyActionUsedIsInTheShippedIamPolicyAndTheTestBedStops() {
        ACCOUNT.closeCheckingTheIamPolicy(
                "es:CreateDomain",
                "es:DescribeDomain",
                "es:DeleteDomain",
                "es:AddTags",
                "es:ESHttpPut",
                "iam:PassRole",
                "s3:DeleteObject");
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
    void aSnapshotInThePlansBucketRestoresIndicesAndAliasesIntoANewDomainAndIsDeletedFromS3() {
        PROVISIONER.checkPlan(SNAPSHOTTED);
        InstanceSnapshots snapshots = PROVISIONER.snapshots(SNAPSHOTTED).orElseThrow();
        String source = provision(SNAPSHOTTED);
        Credentials sourceBinding = bind(source, newId());
        writeThenRead(sourceBinding, "in the snapshot");
        String prefix = String.valueOf(sourceBinding.values().get("index_prefix"));
        new DomainSession(sourceBinding)
                .expect("PUT", "/" + markers(sourceBinding) + "/_alias/" + prefix + "latest", null);
        String snapshot = "pb-" + ResourceNames.hash(newId(), 24);
        // as a domain made before its plan had snapshots has it: the broker is not mapped to manage_snapshots
        asMaster(source, sourceBinding).expect("DELETE", "/_plugins/_security/api/rolesmapping/manage_snapshots", null);

        taken(snapshots, request(source), snapshot);
        writeThenRead(sourceBinding, "after the snapshot");

        assertThat(snapshotObjects(snapshot))
                .as("the snapshot's objects in the plan's bucket")
                .isNotEmpty();
        assertThat(asMaster(source, sourceBinding)
                        .expect("GET", "/_snapshot", null)
                        .size())
                .as("repositories left registered on the domain")
                .isZero();
        String restored = create(SNAPSHOTTED, Map.of(), into -> snapshots.restoreSnapshot(into, snapshot));
        Credentials restoredBinding = bind(restored, newId());
        String restoredPrefix = String.valueOf(restoredBinding.values().get("index_prefix"));
        assertThat(read(restoredBinding)).isEqualTo("in the snapshot");
        assertThat(new DomainSession(restoredBinding)
                        .expect("GET", "/" + restoredPrefix + "latest/_doc/marker", null)
                        .path("_source")
                        .path("value")
                        .asText())
                .as("the alias, under the new prefix")
                .isEqualTo("in the snapshot");
        DomainSession restoredMaster = asMaster(restored, restoredBinding);
        assertThat(restoredMaster
                        .expect("GET", "/_cat/indices?format=json", null)
                        .toString())
                .as("indices under the old prefix on the new domain")
                .doesNotContain(prefix);
        assertThat(restoredMaster
                        .expect("GET", "/_cat/aliases?format=json", null)
                        .toString())
                .as("aliases under the old prefix on the new domain")
                .doesNotContain(prefix)
                .contains(restoredPrefix + "latest");
        assertThat(restoredMaster.expect("GET", "/_snapshot", null).size())
                .as("repositories left registered on the new domain")
                .isZero();

        List<String> data = snapshotObjects(snapshot).stream()
                .filter(key -> key.contains("/indices/")
                        && key.substring(key.lastIndexOf('/') + 1).startsWith("__"))
                .toList();
        assertThat(data).as("the snapshot's shard data").isNotEmpty();
        data.forEach(key -> ACCOUNT.bed
                .s3()
                .client(ACCOUNT.bed.accessKey())
                .deleteObject(b -> b.bucket(AwsTestBed.SNAPSHOT_BUCKET).key(key)));
        assertThatThrownBy(() -> create(SNAPSHOTTED, Map.of(), into -> snapshots.restoreSnapshot(into, snapshot)))
                .as("a restore from a snapshot whose shard data is gone")
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("could not restore index pb-");

        snapshots.deleteSnapshot(snapshot);
        assertThat(snapshotObjects(snapshot))
                .as("the deleted snapshot's objects")
                .isEmpty();
        snapshots.deleteSnapshot(snapshot);
        assertThatThrownBy(() -> create(SNAPSHOTTED, Map.of(), into -> snapshots.restoreSnapshot(into, snapshot)))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("not in S3 bucket " + AwsTestBed.SNAPSHOT_BUCKET);
    }

    @Test
    void aSnapshotWithARoleTheBrokerMayNotPassOrNoBucketFailsSayingWhatTheOperatorMustChange() {
        Plan otherRole = plan(
                "other-role",
                Map.of(
                        "snapshot_bucket",
                        AwsTestBed.SNAPSHOT_BUCKET,
                        "snapshot_role_arn",
                        "arn:aws:iam::" + FakeRds.ACCOUNT + ":role/someone-elses"));
        String instance = provision(otherRole);
        InstanceRequest request = request(instance);

        assertThatThrownBy(() -> PROVISIONER.snapshots(otherRole).orElseThrow().startSnapshot(request, "pb-refused"))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("is not authorized to perform: iam:PassRole on resource: arn:aws:iam::"
                        + FakeRds.ACCOUNT + ":role/someone-elses")
                .hasMessageContaining("the broker needs iam:PassRole");
        Plan noBucket = plan(
                "no-bucket",
                Map.of("snapshot_bucket", "no-such-bucket", "snapshot_role_arn", AwsTestBed.SNAPSHOT_ROLE_ARN));
        InstanceRequest onNoBucket = new InstanceRequest(
                instance, noBucket, Map.of(), request.labels(), request.outputs(), request.secrets());
        assertThatThrownBy(() -> PROVISIONER.snapshots(noBucket).orElseThrow().startSnapshot(onNoBucket, "pb-nowhere"))
                .as("a bucket OpenSearch cannot reach is the operator's to fix, not tried again")
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("bucket [no-such-bucket] does not exist")
                .hasMessageContaining("may read and write S3 bucket no-such-bucket");
        assertThat(PROVISIONER.snapshots(SMALL))
                .as("a plan without a bucket streams its backups")
                .isEmpty();
    }

    private static void taken(InstanceSnapshots snapshots, InstanceRequest instance, String snapshot) {
        StepOutcome outcome = snapshots.startSnapshot(instance, snapshot);
        Instant deadline = Instant.now().plusSeconds(60);
        while (outcome instanceof StepOutcome.InProgress) {
            assertThat(Instant.now()).isBefore(deadline);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            outcome = snapshots.pollSnapshot(instance, snapshot);
        }
    }

    private static List<String> snapshotObjects(String snapshot) {
        return ACCOUNT
                .bed
                .s3()
                .client(ACCOUNT.bed.accessKey())
                .listObjectsV2(b -> b.bucket(AwsTestBed.SNAPSHOT_BUCKET).prefix(PREFIX + "/" + snapshot + "/"))
                .contents()
                .stream()
                .map(S3Object::key)
                .toList();
    }

    /** A session on the instance's domain as its master user, where {@code binding} is bound. */
    private static DomainSession asMaster(String instance, Credentials binding) {
        Map<String, Object> master = new HashMap<>(binding.values());
        master.put("username", DomainNames.MASTER_USER);
        master.put("password", ACCOUNT.masters().of(instance));
        return new DomainSession(new Credentials(master));
    }

    @Test
    void plansOpenSearchServiceWouldRefuseStopTheBrokerAtStartUp() {
        assertThatThrownBy(() -> PROVISIONER.checkPlan(plan("half", Map.of("snapshot_bucket", "bucket"))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("snapshot_bucket and snapshot_role_arn go together");
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

        JsonNode master = asMaster(instance, credentials).expect("GET", "/_plugins/_security/authinfo", null);
        JsonNode binding = new DomainSession(credentials).expect("GET", "/_plugins/_security/authinfo", null);

        assertThat(master.path("user_name").asText()).isEqualTo(DomainNames.MASTER_USER);
        assertThat(master.path("roles").toString()).contains("all_access");
        assertThat(binding.path("user_name").asText()).isNotEqualTo(DomainNames.MASTER_USER);
        assertThat(binding.path("roles").toString()).doesNotContain("all_access");
        assertThat(credentials.values().values().toString())
                .doesNotContain(ACCOUNT.masters().of(instance));
    }
}
