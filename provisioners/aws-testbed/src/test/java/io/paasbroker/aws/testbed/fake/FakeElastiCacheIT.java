package io.paasbroker.aws.testbed.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.paasbroker.testbed.TestBedCertificates;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.DefaultUserAssociatedToUserGroupException;
import software.amazon.awssdk.services.elasticache.model.DefaultUserRequiredException;
import software.amazon.awssdk.services.elasticache.model.DuplicateUserNameException;
import software.amazon.awssdk.services.elasticache.model.InvalidCacheParameterGroupStateException;
import software.amazon.awssdk.services.elasticache.model.InvalidReplicationGroupStateException;
import software.amazon.awssdk.services.elasticache.model.InvalidUserGroupStateException;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.waiters.ElastiCacheWaiter;

/**
 * The fake ElastiCache through the unmodified SDK client and the SDK's own waiters, which follow ElastiCache's
 * published ones, with ElastiCache's rules for users and user groups, and a real Redis whose ACL users are the
 * ElastiCache users of the group's user group.
 */
class FakeElastiCacheIT {

    /** Long enough that the first look after a create sees it creating, however busy the machine. */
    private static final Duration CREATING = Duration.ofMillis(1500);

    private static final Duration STEP = Duration.ofMillis(300);
    private static final String PASSWORD = "a-password-of-twenty-characters";

    private TestBedCertificates certificates;
    private FakeElastiCache fake;
    private ElastiCacheClient cache;
    private ElastiCacheWaiter waiter;

    @TempDir
    Path work;

    @BeforeEach
    void start() {
        certificates = TestBedCertificates.in(work.resolve("tls"));
        AccessKeys keys = AccessKeys.withFirstKey();
        fake = new FakeElastiCache(
                "eu-west-2",
                work,
                certificates,
                keys,
                new StatusTimings(CREATING, STEP, STEP, STEP),
                Clock.systemUTC());
        cache = fake.client(keys.first());
        waiter = ElastiCacheWaiter.builder()
                .client(cache)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(50)))
                        .maxAttempts(100)
                        .build())
                .build();
    }

    @AfterEach
    void stop() {
        assertThat(fake.takeViolations()).as("requests the model refuses").isEmpty();
        waiter.close();
        cache.close();
        fake.close();
    }

    @Test
    void aGroupIsCreatingThenAvailableWithAnEndpointThenDeletingThenGoneAsTheWaitersExpect() {
        users("rg1", "app");
        cache.createReplicationGroup(b -> b.replicationGroupId("rg1")
                .replicationGroupDescription("test")
                .cacheNodeType("cache.t4g.micro")
                .transitEncryptionEnabled(true)
                .userGroupIds("rg1"));

        assertThat(group("rg1").status()).isEqualTo("creating");
        assertThat(group("rg1").nodeGroups().get(0).primaryEndpoint()).isNull();
        waiter.waitUntilReplicationGroupAvailable(b -> b.replicationGroupId("rg1"));
        assertThat(group("rg1").nodeGroups().get(0).primaryEndpoint().port()).isPositive();

        cache.deleteReplicationGroup(b -> b.replicationGroupId("rg1"));
        assertThat(group("rg1").status()).isEqualTo("deleting");
        waiter.waitUntilReplicationGroupDeleted(b -> b.replicationGroupId("rg1"));
        assertThat(fake.resources()).doesNotContain("replication group rg1");
    }

    @Test
    void aUserGroupNeedsAUserNamedDefaultAndNoTwoUsersOfOneName() {
        user("u-default", "default", "off ~* -@all");
        user("u-app", "app", "on ~* +@all");
        user("u-app-again", "app", "on ~* +@all");

        assertThatThrownBy(() -> cache.createUserGroup(
                        b -> b.userGroupId("g1").engine("redis").userIds("u-app")))
                .isInstanceOf(DefaultUserRequiredException.class);
        assertThatThrownBy(() -> cache.createUserGroup(
                        b -> b.userGroupId("g1").engine("redis").userIds("u-default", "u-app", "u-app-again")))
                .isInstanceOf(DuplicateUserNameException.class);
    }

    @Test
    void nothingInUseIsDeletedAndAGroupTakesChangesOnlyWhileAvailable() {
        users("rg2", "app");
        cache.createCacheParameterGroup(b -> b.cacheParameterGroupName("pg2")
                .cacheParameterGroupFamily("redis7")
                .description("test"));
        cache.createReplicationGroup(b -> b.replicationGroupId("rg2")
                .replicationGroupDescription("test")
                .transitEncryptionEnabled(true)
                .cacheParameterGroupName("pg2")
                .userGroupIds("rg2"));

        assertThatThrownBy(() -> cache.modifyReplicationGroup(b -> b.replicationGroupId("rg2")
                        .cacheNodeType("cache.t4g.small")
                        .applyImmediately(true)))
                .as("a change while creating")
                .isInstanceOf(InvalidReplicationGroupStateException.class);
        assertThatThrownBy(() -> cache.deleteUser(b -> b.userId("rg2-default")))
                .isInstanceOf(DefaultUserAssociatedToUserGroupException.class);
        assertThatThrownBy(() -> cache.deleteUserGroup(b -> b.userGroupId("rg2")))
                .isInstanceOf(InvalidUserGroupStateException.class);
        assertThatThrownBy(() -> cache.deleteCacheParameterGroup(b -> b.cacheParameterGroupName("pg2")))
                .isInstanceOf(InvalidCacheParameterGroupStateException.class);
    }

    @Test
    void theUsersOfTheUserGroupAreTheServersAclUsersAndADeletedUsersConnectionsClose() throws Exception {
        users("rg3", "reader");
        cache.createReplicationGroup(b -> b.replicationGroupId("rg3")
                .replicationGroupDescription("test")
                .transitEncryptionEnabled(true)
                .userGroupIds("rg3"));
        waiter.waitUntilReplicationGroupAvailable(b -> b.replicationGroupId("rg3"));
        int port = group("rg3").nodeGroups().get(0).primaryEndpoint().port();
        RedisClient client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .sslOptions(SslOptions.builder()
                        .trustManager(certificates.caFile().toFile())
                        .build())
                .build());
        try (StatefulRedisConnection<String, String> reader = client.connect(RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(port)
                .withSsl(true)
                .withAuthentication("reader", PASSWORD)
                .build())) {
            assertThat(reader.sync().get("anything")).isNull();
            assertThatThrownBy(() -> reader.sync().set("anything", "x")).hasMessageContaining("NOPERM");

            cache.deleteUser(b -> b.userId("rg3-reader"));

            Instant deadline = Instant.now().plusSeconds(5);
            while (reader.isOpen() && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertThat(reader.isOpen()).as("the deleted user's connection").isFalse();
        } finally {
            client.shutdown();
        }
        assertThat(cache.describeUserGroups(b -> b.userGroupId("rg3"))
                        .userGroups()
                        .get(0)
                        .userIds())
                .containsExactly("rg3-default");
    }

    /** A user group {@code id} with a default user that is off and a user {@code name} who may only GET. */
    private void users(String id, String name) {
        user(id + "-default", "default", "off ~* -@all");
        user(id + "-" + name, name, "on ~* -@all +get");
        cache.createUserGroup(b -> b.userGroupId(id).engine("redis").userIds(id + "-default", id + "-" + name));
        Instant deadline = Instant.now().plusSeconds(10);
        while (!cache.describeUserGroups(b -> b.userGroupId(id))
                .userGroups()
                .get(0)
                .status()
                .equals("active")) {
            assertThat(Instant.now()).isBefore(deadline);
            Thread.onSpinWait();
        }
    }

    private void user(String id, String name, String accessString) {
        cache.createUser(b ->
                b.userId(id).userName(name).engine("redis").passwords(PASSWORD).accessString(accessString));
    }

    private ReplicationGroup group(String id) {
        return cache.describeReplicationGroups(b -> b.replicationGroupId(id))
                .replicationGroups()
                .get(0);
    }
}
