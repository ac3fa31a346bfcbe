package io.paasbroker.provisioner.aws.elasticache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.lettuce.core.RedisCommandExecutionException;
import io.paasbroker.aws.testbed.fake.FakeElastiCache;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.PlanChangeRefusedException;
import io.paasbroker.provisioner.ResourceNames;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.testbed.CallFaults.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroupNotFoundException;
import software.amazon.awssdk.services.elasticache.model.Tag;
import software.amazon.awssdk.services.elasticache.model.User;

/**
 * The provisioner contract and ElastiCache's own rules, through the unmodified SDK against the fake ElastiCache of the
 * test bed, with a real Redis 7 behind each replication group whose ACL users are the ElastiCache users; every request
 * the suite sends must pass the conformance gate.
 */
class ElastiCacheRedisProvisionerIT extends ElastiCacheContract {

    private static final CacheTestBed BED = new CacheTestBed();
    private static final Plan SMALL = CacheTestBed.plan("small", Map.of());

    @AfterAll
    static void everyActionUsedIsInTheShippedIamPolicyAndTheTestBedStops() {
        BED.closeCheckingTheIamPolicy(
                "elasticache:CreateReplicationGroup",
                "elasticache:CreateUser",
                "elasticache:AddTagsToResource",
                "elasticache:IncreaseReplicaCount",
                "elasticache:DecreaseReplicaCount");
    }

    @AfterEach
    void everyRequestPassedTheGate() {
        assertThat(BED.bed.takeViolations()).as("requests AWS's model refuses").isEmpty();
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return BED.provisioner;
    }

    @Override
    protected Plan plan() {
        return SMALL;
    }

    @Override
    protected Duration stepTimeout() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofMillis(100);
    }

    /** What ElastiCache still has of the instance, and its secret in the credential store. */
    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        List<String> left =
                new ArrayList<>(leftOf(BED.inspector, BED.provisioner.replicationGroupId(instanceId), instanceId));
        BED.secrets.keySet().stream().filter(ref -> ref.endsWith(instanceId)).forEach(left::add);
        return left;
    }

    // --- ElastiCache's own rules

    @Test
    void theGroupIsEncryptedTaggedAndServedByItsOwnUserGroupWhoseDefaultUserIsOff() {
        String instance = provision();

        ReplicationGroup group = describe(instance).orElseThrow();
        String id = BED.provisioner.replicationGroupId(instance);
        assertThat(id).startsWith("pbtest-").hasSize("pbtest-".length() + 16);
        assertThat(group.transitEncryptionEnabled()).isTrue();
        assertThat(group.atRestEncryptionEnabled()).isTrue();
        assertThat(group.userGroupIds()).containsExactly(id);
        assertThat(BED.inspector
                        .listTagsForResource(b -> b.resourceName(group.arn()))
                        .tagList())
                .extracting(Tag::key, Tag::value)
                .contains(
                        tuple("paasbroker:broker", "pbtest"),
                        tuple("paasbroker:instance", instance),
                        tuple("paasbroker:plan", "small"),
                        tuple("paasbroker:organization", "org-contract"),
                        tuple("paasbroker:space", "space-contract"));
        User defaultUser = BED.inspector
                .describeUsers(b -> b.userId(id + "-default"))
                .users()
                .get(0);
        assertThat(defaultUser.userName()).isEqualTo("default");
        assertThat(defaultUser.accessString()).startsWith("off ");
        assertThat(request(instance).outputs().values())
                .doesNotContainAnyElementsOf(BED.secrets.values().stream()
                        .flatMap(secret -> secret.values().stream())
                        .map(String::valueOf)
                        .toList());
    }

    @Test
    void aHighlyAvailablePlanHasAReplicaAutomaticFailoverAndMultiAz() {
        String instance = provision(CacheTestBed.plan("ha", Map.of("replicas", 1, "high_availability", true)));

        ReplicationGroup group = describe(instance).orElseThrow();
        assertThat(group.memberClusters()).hasSize(2);
        assertThat(group.automaticFailoverAsString()).isEqualTo("enabled");
        assertThat(group.multiAZAsString()).isEqualTo("enabled");
    }

    /**
     * A plan change to high availability adds the replica first (ElastiCache fails over to a replica only), then turns
     * failover and Multi-AZ on; back again, failover goes first, then the replica. The data stays throughout.
     */
    @Test
    void aPlanChangeAddsAndRemovesReplicasAroundFailoverAndKeepsTheData() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        writeThenRead(credentials, "before");

        update(instance, CacheTestBed.plan("ha", Map.of("replicas", 2, "high_availability", true)));

        ReplicationGroup group = describe(instance).orElseThrow();
        assertThat(group.memberClusters()).hasSize(3);
        assertThat(group.automaticFailoverAsString()).isEqualTo("enabled");
        assertThat(group.multiAZAsString()).isEqualTo("enabled");
        assertThat(read(credentials)).isEqualTo("before");

        update(instance, SMALL);

        group = describe(instance).orElseThrow();
        assertThat(group.memberClusters()).hasSize(1);
        assertThat(group.automaticFailoverAsString()).isEqualTo("disabled");
        assertThat(read(credentials)).isEqualTo("before");
    }

    @Test
    void eachBindingIsAUserOfItsOwnAndReadOnlyBindingsCannotWrite() {
        String instance = provision();
        Credentials writer = bind(instance, newId());
        Credentials reader = bind(instance, newId(), Map.of("read_only", true));

        assertThat(writer.values().get("username")).isNotEqualTo(reader.values().get("username"));
        assertThat(String.valueOf(writer.values().get("uri"))).startsWith("rediss://");
        assertThat(writeThenRead(writer, "written")).isEqualTo("written");
        try (Tenant tenant = Tenant.open(reader)) {
            assertThat(tenant.commands().get(MARKER)).isEqualTo("written");
            assertThatThrownBy(() -> tenant.commands().set(MARKER, "overwritten"))
                    .isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> tenant.commands().publish("news", "x")).hasMessageContaining("NOPERM");
        }
    }

    @Test
    void aBindingCannotSeeOrChangeUsersNorConfigureTheServer() {
        String instance = provision();
        try (Tenant tenant = Tenant.open(bind(instance, newId()))) {
            for (String[] command : List.of(
                    new String[] {"ACL", "LIST"},
                    new String[] {"ACL", "SETUSER", "intruder", "on", ">password-of-intruder", "+@all", "~*"},
                    new String[] {"CONFIG", "SET", "maxmemory-policy", "noeviction"},
                    new String[] {"CLIENT", "LIST"},
                    new String[] {"MONITOR"},
                    new String[] {"MODULE", "LIST"})) {
                assertThatThrownBy(() -> tenant.call(command))
                        .as(String.join(" ", command))
                        .hasMessageContaining("NOPERM");
            }
            assertThat(tenant.call("ACL", "WHOAMI")).isNotEmpty();
        }
    }

    @Test
    void noConnectionIsServedWithoutABindingsUser() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        String host = String.valueOf(credentials.values().get("host"));
        String port = String.valueOf(credentials.values().get("port"));

        assertThatThrownBy(() -> Tenant.open(credentials, "rediss://" + host + ":" + port)
                        .commands()
                        .ping())
                .hasStackTraceContaining("NOAUTH");
    }

    @Test
    void unbindClosesTheBindingsConnectionsAndItsPasswordStopsWorking() {
        String instance = provision();
        String binding = newId();
        Credentials credentials = bind(instance, binding);
        try (Tenant tenant = Tenant.open(credentials)) {
            tenant.commands().set(MARKER, "kept");
            unbind(instance, binding);

            Instant deadline = Instant.now().plusSeconds(5);
            while (tenant.connection.isOpen() && Instant.now().isBefore(deadline)) {
                Thread.onSpinWait();
            }
            assertThat(tenant.connection.isOpen())
                    .as("the unbound user's connection")
                    .isFalse();
        }
        assertThatThrownBy(() -> Tenant.open(credentials).commands().ping()).hasStackTraceContaining("WRONGPASS");
        assertThat(read(bind(instance, newId()))).isEqualTo("kept");
    }

    @Test
    void theUsersEvictionPolicyIsSetByTheBrokersParameterGroupAndAnUpdateChangesIt() {
        String instance = provision(SMALL, Map.of("maxmemory_policy", "allkeys-lfu"));
        Credentials credentials = bind(instance, newId());
        try (Tenant tenant = Tenant.open(credentials)) {
            tenant.commands().set(MARKER, "counted");
            // OBJECT FREQ answers only under an LFU policy: the server runs the user's choice
            assertThat(tenant.call("OBJECT", "FREQ", MARKER)).isNotEmpty();
        }
        assertThat(BED.bed.elastiCache().resources()).contains("parameter group pbtest-redis7-allkeys-lfu");

        update(instance, SMALL, Map.of("maxmemory_policy", "noeviction"));

        try (Tenant tenant = Tenant.open(credentials)) {
            assertThatThrownBy(() -> tenant.call("OBJECT", "FREQ", MARKER)).hasMessageContaining("LFU");
        }
    }

    @Test
    void aPolicyThePlanDoesNotAllowIsRefusedBeforeAnythingIsMade() {
        assertThatThrownBy(() -> BED.provisioner.checkParameters(SMALL, Map.of("maxmemory_policy", "volatile-ttl")))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("allowed: [allkeys-lfu, noeviction]");
        assertThatThrownBy(() -> BED.provisioner.checkParameters(SMALL, Map.of("maxmemory_policy", "everything")))
                .isInstanceOf(InvalidParametersException.class);
    }

    @Test
    void aLargerNodeTypeIsAppliedAndChangesElastiCacheCannotMakeAreRefused() {
        String instance = provision();
        Credentials credentials = bind(instance, newId());
        writeThenRead(credentials, "before");

        update(instance, CacheTestBed.plan("medium", Map.of("node_type", "cache.t4g.medium")));

        assertThat(describe(instance).orElseThrow().cacheNodeType()).isEqualTo("cache.t4g.medium");
        assertThat(read(credentials)).isEqualTo("before");
        assertThatThrownBy(() -> BED.provisioner.checkPlanChange(
                        SMALL, CacheTestBed.plan("clear", Map.of("at_rest_encryption", false))))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("encryption at rest");
        assertThatThrownBy(() -> BED.provisioner.checkPlanChange(
                        SMALL, CacheTestBed.plan("older", Map.of("engine_version", "7.0"))))
                .isInstanceOf(PlanChangeRefusedException.class)
                .hasMessageContaining("downgrade");
    }

    @Test
    void aSnapshotRestoresTheDataIntoANewGroupWhoseUsersAreItsOwn() {
        String source = provision();
        Credentials sourceCredentials = bind(source, newId());
        writeThenRead(sourceCredentials, "in the snapshot");
        String snapshot = "pbtest-snapshot-" + newId().substring(0, 8);
        InstanceRequest sourceRequest = request(source);
        StepOutcome taken = BED.provisioner.snapshots().orElseThrow().startSnapshot(sourceRequest, snapshot);
        Instant deadline = Instant.now().plusSeconds(30);
        while (taken instanceof StepOutcome.InProgress) {
            assertThat(Instant.now()).isBefore(deadline);
            sleep();
            taken = BED.provisioner.snapshots().orElseThrow().pollSnapshot(sourceRequest, snapshot);
        }

        String restored = create(
                SMALL,
                Map.of(),
                into -> BED.provisioner.snapshots().orElseThrow().restoreSnapshot(into, snapshot));

        assertThat(read(bind(restored, newId()))).isEqualTo("in the snapshot");
        String host = String.valueOf(sourceCredentials.values().get("host"));
        String restoredPort = request(restored).outputs().get("port");
        assertThatThrownBy(() -> Tenant.open(
                                sourceCredentials,
                                String.valueOf(sourceCredentials.values().get("uri"))
                                        .replace(
                                                ":" + sourceCredentials.values().get("port"), ":" + restoredPort))
                        .commands()
                        .ping())
                .as("the source's user on the restored group at " + host)
                .hasStackTraceContaining("WRONGPASS");
        BED.provisioner.snapshots().orElseThrow().deleteSnapshot(snapshot);
        assertThat(BED.bed.elastiCache().snapshotNames()).doesNotContain(snapshot);
    }

    @Test
    void theUserOfABindThatFailedAfterMakingItGoesWithTheInstance() {
        String instance = provision();
        BindRequest binding = new BindRequest(request(instance), newId(), Map.of());
        FakeElastiCache cache = BED.bed.elastiCache();
        // the bind makes its user (one call), then ElastiCache fails every attempt to read the user group
        cache.faults().fail(cache.faults().soFar() + 2, 3, Fault.REFUSE);
        assertThatThrownBy(() -> BED.provisioner.startBind(binding))
                .isInstanceOf(BackingServiceUnavailableException.class);
        assertThat(resourcesLeftFor(instance))
                .contains("user " + BED.provisioner.replicationGroupId(instance) + "-b"
                        + ResourceNames.hash(binding.bindingId(), 16));

        deprovision(instance);

        assertThat(resourcesLeftFor(instance)).isEmpty();
    }

    @Test
    void deletingKeepsAFinalSnapshotUnlessThePlanSaysNot() {
        String instance = provision(CacheTestBed.plan("kept", Map.of("skip_final_snapshot", false)));
        String id = BED.provisioner.replicationGroupId(instance);

        deprovision(instance);

        assertThat(BED.bed.elastiCache().snapshotNames()).contains(id + "-final");
        assertThat(resourcesLeftFor(instance)).isEmpty();
        BED.provisioner.snapshots().orElseThrow().deleteSnapshot(id + "-final");
    }

    @Test
    void aGroupDeletedBehindTheBrokersBackFailsThePollSayingSoAndItsDeprovisionSucceeds() {
        String instance = provision();
        String id = BED.provisioner.replicationGroupId(instance);
        BED.inspector.deleteReplicationGroup(b -> b.replicationGroupId(id));

        assertThatThrownBy(() -> {
                    for (Instant deadline = Instant.now().plusSeconds(10);
                            Instant.now().isBefore(deadline); ) {
                        BED.provisioner.poll(request(instance), "create");
                        sleep();
                    }
                })
                .hasMessageContaining("deleted outside the broker");
        deprovision(instance);
        assertThat(resourcesLeftFor(instance)).isEmpty();
    }

    // --- helpers

    private static Optional<ReplicationGroup> describe(String instanceId) {
        try {
            return BED
                    .inspector
                    .describeReplicationGroups(
                            b -> b.replicationGroupId(BED.provisioner.replicationGroupId(instanceId)))
                    .replicationGroups()
                    .stream()
                    .findFirst();
        } catch (ReplicationGroupNotFoundException e) {
            return Optional.empty();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
