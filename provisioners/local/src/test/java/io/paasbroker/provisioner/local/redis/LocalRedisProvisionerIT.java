package io.paasbroker.provisioner.local.redis;

import static io.paasbroker.provisioner.local.redis.RedisServerProcess.ADMIN;
import static io.paasbroker.provisioner.local.redis.RedisServerProcess.HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.sync.RedisPubSubCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.BindRequest;
import io.paasbroker.provisioner.Credentials;
import io.paasbroker.provisioner.Health;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.InvalidParametersException;
import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.StepOutcome;
import io.paasbroker.provisioner.UpdateRequest;
import io.paasbroker.provisioner.credentials.ServerTls;
import io.paasbroker.provisioner.local.common.ClosedPort;
import io.paasbroker.provisioner.local.common.LocalPlans;
import io.paasbroker.provisioner.local.common.ServerProvisionerContract;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The provisioner contract and Redis's own isolation guarantees, on a real redis-server 7 with ACLs. */
@Timeout(60)
class LocalRedisProvisionerIT extends ServerProvisionerContract<LocalRedisProvisioner> {

    private static final String MARKER = "marker";

    private static RedisServerProcess redis;
    private static LocalRedisProvisioner provisioner;
    private static ClientResources clientResources;
    private static RedisClient adminClient;
    /** The test's own view of the server, as the admin, independent of the provisioner's connection. */
    private static RedisCommands<String, String> admin;

    LocalRedisProvisionerIT() {
        super("Redis", "maxmemory");
    }

    @BeforeAll
    static void startAServerWithAnAclFile() {
        redis = RedisServerProcess.start();
        provisioner = new LocalRedisProvisioner(List.of(redis.asServer("shared")));
        clientResources = DefaultClientResources.create();
        adminClient = RedisClient.create(
                clientResources,
                RedisURI.builder()
                        .withHost(HOST)
                        .withPort(redis.port())
                        .withAuthentication(ADMIN, redis.adminPassword())
                        .build());
        admin = adminClient.connect().sync();
    }

    @AfterAll
    static void stop() {
        if (provisioner != null) {
            provisioner.close();
        }
        if (adminClient != null) {
            adminClient.shutdown(0, 2, TimeUnit.SECONDS);
        }
        if (clientResources != null) {
            clientResources.shutdown(0, 2, TimeUnit.SECONDS);
        }
        if (redis != null) {
            redis.close();
        }
    }

    // --- the contract's hooks

    @Override
    protected ServiceProvisioner provisioner() {
        return provisioner;
    }

    @Override
    protected TenantSession connectAs(Credentials credentials) {
        return new RedisSession(connect(credentials), credentials);
    }

    /**
     * The instance's ACL users: what the provisioner creates. Keys are the tenant's data, as tables are in PostgreSQL
     * (the contract writes a marker between two looks); {@link #keysOf} checks that deprovision removes them.
     */
    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        return admin.aclUsers().stream()
                .filter(user -> user.startsWith(RedisNames.userPrefix(instanceId)))
                .toList();
    }

    private static List<String> keysOf(String instanceId) {
        return admin.keys(RedisNames.keyPrefix(instanceId) + "*");
    }

    @Override
    protected Plan planWith(Map<String, Object> properties) {
        return plan(properties);
    }

    @Override
    protected LocalRedisProvisioner onClosedPort(String name, String adminPassword) throws IOException {
        return new LocalRedisProvisioner(List.of(unreachable(name, adminPassword)));
    }

    @Override
    protected SecondAdmin<LocalRedisProvisioner> secondAdmin(String password) {
        String account = "rotating_admin_" + newId().substring(0, 8);
        admin.aclSetuser(
                account,
                AclSetuserArgs.Builder.on()
                        .addPassword(password)
                        .allKeys()
                        .allChannels()
                        .allCommands());
        LocalRedisProvisioner rotating = new LocalRedisProvisioner(List.of(new RedisServer(
                "rotating",
                HOST,
                redis.port(),
                account,
                password,
                HOST,
                redis.port(),
                Duration.ofSeconds(5),
                ServerTls.OFF)));
        return new SecondAdmin<>() {
            @Override
            public LocalRedisProvisioner provisioner() {
                return rotating;
            }

            /** Up to three attempts: under load Lettuce sometimes loses the server's answer in its handshake. */
            @Override
            public boolean logsIn(String candidate) {
                for (int attempt = 1; ; attempt++) {
                    Throwable refusal =
                            catchThrowable(() -> connect(as(candidate)).close());
                    if (refusal == null || isWrongPassword(refusal)) {
                        return refusal == null;
                    }
                    if (attempt == 3) {
                        throw new IllegalStateException("logging in as " + account + " failed", refusal);
                    }
                }
            }

            @Override
            public Optional<KeptLogin> keepLogin(String candidate) {
                TenantConnection kept = connect(as(candidate));
                return Optional.of(new KeptLogin() {
                    @Override
                    public boolean answers() {
                        return "PONG".equals(kept.commands().ping());
                    }

                    @Override
                    public void close() {
                        kept.close();
                    }
                });
            }

            private Credentials as(String candidate) {
                return new Credentials(Map.of(
                        "uri",
                        "redis://" + account + ":" + candidate + "@" + HOST + ":" + redis.port(),
                        "username",
                        account));
            }

            @Override
            public void close() {
                try {
                    rotating.close();
                } finally {
                    admin.aclDeluser(account);
                }
            }
        };
    }

    /** Keeps the marker in the key {@code marker} under the instance's prefix. */
    private record RedisSession(TenantConnection connection, Credentials credentials) implements TenantSession {

        @Override
        public void writeMarker(String marker) {
            connection.commands().set(key(credentials, MARKER), marker);
        }

        @Override
        public String readMarker() {
            return connection.commands().get(key(credentials, MARKER));
        }

        @Override
        public String readMarkerOf(Credentials other) {
            return connection.commands().get(key(other, MARKER));
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    // --- isolation between instances

    @Test
    void tenantGetsSetsAndDeletesOnlyKeysUnderItsOwnPrefix() {
        Credentials mine = bind(provision(), newId());
        Credentials theirs = bind(provision(), newId());
        String theirKey = key(theirs, "data");
        String myKey = key(mine, "data");

        try (TenantConnection them = connect(theirs);
                TenantConnection me = connect(mine)) {
            them.commands().set(theirKey, "theirs");
            assertThat(them.commands().get(theirKey)).as("their own read").isEqualTo("theirs");
            me.commands().set(myKey, "mine");
            assertThat(me.commands().get(myKey)).as("my own read").isEqualTo("mine");

            assertDenied(() -> me.commands().get(theirKey), "GET of their key");
            assertDenied(() -> me.commands().set(theirKey, "overwritten"), "SET of their key");
            assertDenied(() -> me.commands().del(theirKey), "DEL of their key");
            assertDenied(() -> me.commands().rename(myKey, key(theirs, "planted")), "RENAME into their prefix");
            assertDenied(() -> me.commands().set("unprefixed", "x"), "SET of a key outside every prefix");

            assertThat(them.commands().get(theirKey)).as("their key afterwards").isEqualTo("theirs");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "SCAN 0",
                "KEYS *",
                "RANDOMKEY",
                "DBSIZE",
                "SELECT 1",
                "SWAPDB 0 1",
                "MOVE {own} 1",
                "COPY {own} {own}.copy DB 1",
                "FLUSHALL",
                "FLUSHDB",
                "CONFIG GET *",
                "INFO",
                "CLIENT LIST",
                "CLIENT KILL USER " + ADMIN,
                "CLIENT TRACKING ON BCAST",
                "MONITOR",
                "ACL LIST",
                "DEBUG SLEEP 0",
                "SHUTDOWN NOSAVE",
                "SAVE",
                "BGSAVE",
                "BGREWRITEAOF",
                "REPLICAOF NO ONE",
                "SYNC",
                "PSYNC ? -1",
                "FAILOVER ABORT",
                "CLUSTER INFO",
                "MIGRATE 127.0.0.1 1 {own} 0 1000",
                "OBJECT ENCODING {own}",
                "MEMORY STATS",
                "LATENCY LATEST",
                "SLOWLOG GET",
                "MODULE LIST",
                "FUNCTION LIST",
                "FUNCTION FLUSH",
                "SCRIPT FLUSH",
                "PUBSUB CHANNELS",
                "SORT {own} BY nosort",
            })
    void tenantIsDeniedCommandsThatListKeysOrActOnTheWholeServer(String command) {
        Credentials mine = bind(provision(), newId());
        Credentials theirs = bind(provision(), newId());
        writeThenRead(theirs, "their-data");

        try (TenantConnection me = connect(mine)) {
            String own = key(mine, "own");
            me.commands().set(own, "mine");

            assertDenied(() -> me.call(command.replace("{own}", own).split(" ")), command);

            assertThat(me.commands().get(own))
                    .as("own key on the same connection after the denial")
                    .isEqualTo("mine");
        }
        assertThat(read(theirs)).as("their data after the denied command").isEqualTo("their-data");
    }

    @Test
    void tenantUsesTheCommonDataCommandsAndScriptsOnItsOwnKeys() {
        Credentials mine = bind(provision(), newId());
        Credentials theirs = bind(provision(), newId());
        writeThenRead(theirs, "their-data");
        String script = "return redis.call('GET', KEYS[1])";

        try (TenantConnection me = connect(mine)) {
            RedisCommands<String, String> c = me.commands();
            c.hset(key(mine, "hash"), "field", "value");
            c.rpush(key(mine, "list"), "a", "b");
            c.sadd(key(mine, "set"), "member");
            c.zadd(key(mine, "zset"), 1.0, "member");
            c.xadd(key(mine, "stream"), Map.of("event", "created"));
            c.pfadd(key(mine, "hll"), "visitor");
            c.setbit(key(mine, "bits"), 7, 1);
            c.set(key(mine, "string"), "value");
            c.expire(key(mine, "string"), 60);
            c.rename(key(mine, "string"), key(mine, "renamed"));
            c.multi();
            c.incr(key(mine, "counter"));
            c.incr(key(mine, "counter"));
            assertThat(c.exec().wasDiscarded()).isFalse();

            assertThat(c.hget(key(mine, "hash"), "field")).isEqualTo("value");
            assertThat(c.lrange(key(mine, "list"), 0, -1)).containsExactly("a", "b");
            assertThat(c.sismember(key(mine, "set"), "member")).isTrue();
            assertThat(c.zscore(key(mine, "zset"), "member")).isEqualTo(1.0);
            assertThat(c.xlen(key(mine, "stream"))).isEqualTo(1);
            assertThat(c.pfcount(key(mine, "hll"))).isEqualTo(1);
            assertThat(c.getbit(key(mine, "bits"), 7)).isEqualTo(1);
            assertThat(c.ttl(key(mine, "renamed"))).isPositive();
            assertThat(c.get(key(mine, "counter"))).isEqualTo("2");
            assertThat(c.exists(key(mine, "hash"), key(mine, "renamed"))).isEqualTo(2);
            assertThat(c.unlink(key(mine, "hash"))).isEqualTo(1);
            assertThat(c.<String>eval(script, ScriptOutputType.VALUE, key(mine, "renamed")))
                    .as("a script on an own key")
                    .isEqualTo("value");
            assertThat(c.clientGetname()).isNull();

            assertDenied(() -> c.eval(script, ScriptOutputType.VALUE, key(theirs, MARKER)), "a script given their key");
            assertThatThrownBy(
                            () -> c.eval(
                                    "return redis.call('GET', '" + key(theirs, MARKER) + "')", ScriptOutputType.VALUE),
                            "a script reading their key it was not given")
                    .isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageContaining("can't access");
        }
    }

    @Test
    void tenantPublishesAndSubscribesOnlyOnChannelsUnderItsOwnPrefix() throws InterruptedException {
        Credentials mine = bind(provision(), newId());
        Credentials theirs = bind(provision(), newId());
        String ownChannel = key(mine, "news");
        String theirChannel = key(theirs, "news");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();

        try (TenantConnection me = connect(mine);
                TenantConnection them = connect(theirs);
                StatefulRedisPubSubConnection<String, String> subscription = me.pubSub()) {
            subscription.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received.add(channel + " " + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    received.add(pattern + " " + channel + " " + message);
                }
            });
            RedisPubSubCommands<String, String> subscriber = subscription.sync();
            subscriber.subscribe(ownChannel);
            subscriber.psubscribe(key(mine, "*"));
            me.commands().publish(ownChannel, "hello");
            assertThat(List.of(received.poll(5, TimeUnit.SECONDS), received.poll(5, TimeUnit.SECONDS)))
                    .as("own channel, subscribed and by pattern")
                    .containsExactlyInAnyOrder(ownChannel + " hello", key(mine, "*") + " " + ownChannel + " hello");
            assertThat(them.commands().publish(theirChannel, "their news"))
                    .as("their publish on their channel")
                    .isZero();

            assertDenied(() -> subscriber.subscribe(theirChannel), "SUBSCRIBE to their channel");
            assertDenied(() -> subscriber.psubscribe("*"), "PSUBSCRIBE to every channel");
            assertDenied(() -> me.commands().publish(theirChannel, "spoofed"), "PUBLISH on their channel");
            assertDenied(() -> me.commands().publish("unprefixed", "spoofed"), "PUBLISH outside every prefix");
        }
    }

    // --- bindings

    @Test
    void credentialsCarryTheConventionalFields() {
        String instance = provision();

        Credentials credentials = bind(instance, newId());

        Map<String, Object> values = credentials.values();
        assertThat(values.keySet()) // the names alone: a failure must not print the password
                .containsExactlyInAnyOrder(
                        "type",
                        "provider",
                        "uri",
                        "url",
                        "host",
                        "hostname",
                        "port",
                        "username",
                        "password",
                        "key_prefix",
                        "tls",
                        "read_only");
        assertThat(values)
                .containsEntry("hostname", HOST)
                .containsEntry("port", redis.port())
                .containsEntry("key_prefix", RedisNames.keyPrefix(instance));
        URI uri = URI.create(text(credentials, "uri"));
        assertThat(uri.getScheme()).isEqualTo("redis");
        assertThat(uri.getUserInfo()).isEqualTo(text(credentials, "username") + ":" + text(credentials, "password"));
        assertThat(uri.getHost() + ":" + uri.getPort()).isEqualTo(HOST + ":" + redis.port());
    }

    @Test
    void bindingAgainReplacesThePasswordSoOnlyTheNewOneWorks() {
        String instance = provision();
        String binding = newId();
        Credentials first = bind(instance, binding);
        assertThat(writeThenRead(first, "with-the-first-password")).isEqualTo("with-the-first-password");

        Credentials second = bind(instance, binding);

        assertThat(read(second)).isEqualTo("with-the-first-password");
        assertRefused(first);
    }

    @Test
    void readOnlyBindingReadsTheInstancesKeysAndWritesNothing() {
        String instance = provision();
        Credentials writer = bind(instance, newId());
        Credentials reader = provisioner.bind(new BindRequest(request(instance), newId(), Map.of("read_only", true)));
        String key = key(writer, "counter");

        try (TenantConnection w = connect(writer);
                TenantConnection r = connect(reader)) {
            w.commands().set(key, "1");
            assertThat(r.commands().get(key)).as("the reader's GET").isEqualTo("1");
            assertThat(w.commands().incr(key)).as("the writer's INCR").isEqualTo(2);

            assertDenied(() -> r.commands().set(key, "3"), "SET");
            assertDenied(() -> r.commands().del(key), "DEL");
            assertDenied(() -> r.commands().expire(key, 60), "EXPIRE");
            assertDenied(() -> r.commands().incr(key), "INCR");
            assertDenied(() -> r.commands().publish(key(reader, "news"), "x"), "PUBLISH");

            assertThat(w.commands().get(key)).isEqualTo("2");
            assertThat(w.commands().ttl(key)).as("no expiry was set").isEqualTo(-1);
        }
    }

    @Test
    void bindRejectsAReadOnlyParameterThatIsNotABoolean() {
        String instance = provision();

        assertThatThrownBy(
                        () -> provisioner.bind(new BindRequest(request(instance), newId(), Map.of("read_only", "yes"))))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("read_only");
    }

    @Test
    void unbindClosesTheBindingsOpenConnectionsAndItsPasswordStopsWorking() {
        String instance = provision();
        String unbound = newId();
        Credentials revoked = bind(instance, unbound);
        Credentials kept = bind(instance, newId());

        try (TenantConnection open = connect(revoked);
                TenantConnection other = connect(kept)) {
            assertThat(open.commands().ping())
                    .as("the connection before unbind")
                    .isEqualTo("PONG");

            unbind(instance, unbound);

            assertThatThrownBy(() -> open.commands().ping(), "the connection after unbind")
                    .isInstanceOf(RedisException.class);
            // the client learns that the server closed the connection a moment after the failed command
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (open.isOpen() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(open.isOpen()).isFalse();
            assertThat(other.commands().ping())
                    .as("another binding's connection")
                    .isEqualTo("PONG");
        }
        assertRefused(revoked);
        assertThat(writeThenRead(kept, "after-the-other-unbind")).isEqualTo("after-the-other-unbind");
    }

    @Test
    void usersSurviveARestartOfTheServerAndUnboundOnesStayGone() {
        String instance = provision();
        String unbound = newId();
        Credentials kept = bind(instance, newId());
        Credentials revoked = bind(instance, unbound);
        unbind(instance, unbound);

        redis.restart();

        assertThat(writeThenRead(kept, "after-the-restart")).isEqualTo("after-the-restart");
        assertRefused(revoked);
        assertThat(writeThenRead(bind(instance, newId()), "bound-after-the-restart"))
                .as("the provisioner's own connection came back")
                .isEqualTo("bound-after-the-restart");
    }

    // --- deprovision

    @Test
    void deprovisionRemovesEveryKeyAndUserOfTheInstanceAndKeepsAnotherInstances() {
        String doomed = provision();
        String kept = provision();
        Credentials doomedBinding = bind(doomed, newId());
        bind(doomed, newId());
        Credentials keptBinding = bind(kept, newId());
        // more keys than one SCAN page
        admin.mset(IntStream.range(0, 2500)
                .boxed()
                .collect(Collectors.toMap(i -> key(doomedBinding, "key" + i), String::valueOf)));
        writeThenRead(keptBinding, "kept-data");
        assertThat(keysOf(doomed)).hasSize(2500);
        assertThat(resourcesLeftFor(doomed)).hasSize(2);
        List<String> keptUsers = resourcesLeftFor(kept);

        deprovision(doomed);

        assertThat(keysOf(doomed)).isEmpty();
        assertThat(resourcesLeftFor(doomed)).isEmpty();
        assertRefused(doomedBinding);
        assertThat(keysOf(kept)).containsExactly(key(keptBinding, MARKER));
        assertThat(resourcesLeftFor(kept)).containsExactlyInAnyOrderElementsOf(keptUsers);
        assertThat(read(keptBinding)).isEqualTo("kept-data");
    }

    // --- update

    @Test
    void updateKeepsThePrefix() {
        String instance = provision();
        InstanceRequest current = request(instance);

        StepOutcome.Completed updated =
                (StepOutcome.Completed) provisioner.update(new UpdateRequest(current, current.plan(), Map.of()));

        assertThat(updated.outputs()).containsEntry("key_prefix", RedisNames.keyPrefix(instance));
    }

    // --- the servers

    @Test
    void healthGivesEachServersVersionAndReportsAnOpenDefaultUserAndAServerThatIsDown() throws IOException {
        RedisServer down = unreachable("down", Passwords.generate());
        try (RedisServerProcess open = RedisServerProcess.start("on nopass ~* &* +@all");
                LocalRedisProvisioner watching =
                        new LocalRedisProvisioner(List.of(redis.asServer("shared"), open.asServer("open"), down))) {

            Health health = watching.health();

            assertThat(health.resourcesUp()).containsOnlyKeys("shared");
            assertThat(health.resourcesUp().get("shared")).startsWith("Redis 7.");
            assertThat(health.problemsByResource()).containsOnlyKeys("open", "down");
            assertThat(health.problemsByResource().get("open"))
                    .contains("'default' user is enabled without a password");
            assertThat(health.problemsByResource().get("down"))
                    .contains("Redis server 'down'")
                    .doesNotContain(down.adminPassword());
        }
    }

    // --- backups

    @Test
    void backupRestoredIntoANewInstanceHoldsTheKeysOfBackupTimeWithTheirTimesToLive() {
        String original = provision();
        Credentials writer = bind(original, newId());
        try (TenantConnection tenant = connect(writer)) {
            writeShop(tenant.commands(), writer);
        }
        byte[] backup = backup(original);
        try (TenantConnection tenant = connect(writer)) {
            tenant.commands().set(key(writer, "after-the-backup"), "new");
            tenant.commands().del(key(writer, "basket"));
            tenant.commands().hset(key(writer, "prices"), "apple", "999");
        }

        String copy = provision();
        restore(copy, backup);

        Credentials reader = bind(copy, newId());
        try (TenantConnection tenant = connect(reader)) {
            RedisCommands<String, String> c = tenant.commands();
            assertThat(c.get(key(reader, "greeting"))).isEqualTo("hello");
            assertThat(c.hgetall(key(reader, "prices"))).isEqualTo(Map.of("apple", "3", "pear", "4"));
            assertThat(c.lrange(key(reader, "basket"), 0, -1)).containsExactly("apple", "pear");
            assertThat(c.get(key(reader, "after-the-backup"))).isNull();
            assertThat(c.pttl(key(reader, "session"))).isBetween(1L, 600_000L);
            assertThat(c.ttl(key(reader, "greeting"))).isEqualTo(-1);
            c.rpush(key(reader, "basket"), "quince");
            assertThat(c.lrange(key(reader, "basket"), 0, -1)).containsExactly("apple", "pear", "quince");
        }
        assertThat(keysOf(copy)).hasSize(4);
    }

    @Test
    void backupOfOneInstanceHoldsNothingOfAnother() {
        Credentials neighbour = bind(provision(), newId());
        try (TenantConnection tenant = connect(neighbour)) {
            tenant.commands().set(key(neighbour, "neighbours-secret"), "theirs");
        }
        String tenantInstance = provision();
        Credentials mine = bind(tenantInstance, newId());
        try (TenantConnection tenant = connect(mine)) {
            writeShop(tenant.commands(), mine);
        }

        byte[] backup = backup(tenantInstance);
        String copy = provision();
        restore(copy, backup);

        assertThat(new String(backup, StandardCharsets.ISO_8859_1)).doesNotContain("neighbours-secret", "theirs");
        assertThat(keysOf(copy))
                .containsExactlyInAnyOrder(Stream.of("greeting", "prices", "basket", "session")
                        .map(name -> RedisNames.keyPrefix(copy) + name)
                        .toArray(String[]::new));
    }

    @Test
    void restoringTwiceEndsAsRestoringOnce() {
        String original = provision();
        Credentials writer = bind(original, newId());
        try (TenantConnection tenant = connect(writer)) {
            writeShop(tenant.commands(), writer);
        }
        byte[] backup = backup(original);
        String copy = provision();

        restore(copy, backup);
        restore(copy, backup);

        assertThat(keysOf(copy)).hasSize(4);
        assertThat(admin.lrange(RedisNames.keyPrefix(copy) + "basket", 0, -1)).containsExactly("apple", "pear");
    }

    @Test
    void aTruncatedOrCorruptedBackupFailsTheRestore() {
        String original = provision();
        Credentials writer = bind(original, newId());
        try (TenantConnection tenant = connect(writer)) {
            writeShop(tenant.commands(), writer);
        }
        byte[] backup = backup(original);
        byte[] corrupted = backup.clone();
        corrupted[corrupted.length - 10] ^= 0x5a; // in the last payload's checksum
        String copy = provision();

        for (byte[] broken : List.of(Arrays.copyOf(backup, backup.length - 4), corrupted, new byte[] {1, 2, 3})) {
            assertThatThrownBy(() -> restore(copy, broken))
                    .isInstanceOf(ProvisioningFailedException.class)
                    .hasMessageContaining("restoring the instance's keys")
                    .hasMessageNotContaining(redis.adminPassword());
        }
    }

    /** Keys of three types, one of them expiring. */
    private static void writeShop(RedisCommands<String, String> c, Credentials credentials) {
        c.set(key(credentials, "greeting"), "hello");
        c.hset(key(credentials, "prices"), Map.of("apple", "3", "pear", "4"));
        c.rpush(key(credentials, "basket"), "apple", "pear");
        c.psetex(key(credentials, "session"), 600_000, "expires");
    }

    // --- helpers

    private static Plan plan(Map<String, Object> properties) {
        return LocalPlans.plan("plan-local-redis", "small", "A key prefix on the shared server", "7", properties);
    }

    private static TenantConnection connect(Credentials credentials) {
        return TenantConnection.open(clientResources, credentials);
    }

    /** The server answers the denial with NOPERM: the command exists and is refused by the user's ACL. */
    private static void assertDenied(ThrowingCallable command, String what) {
        assertThatThrownBy(command, what)
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessageStartingWith("NOPERM");
    }

    /**
     * No attempt may log in, and the server must say why: WRONGPASS. Under load Lettuce sometimes loses the
     * server's answer in its handshake ("RedisHandshakeHandler not registered"); such an attempt is made again.
     */
    private static void assertRefused(Credentials credentials) {
        Throwable refusal = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            refusal = catchThrowable(() -> connect(credentials).close());
            assertThat(refusal)
                    .as("authenticating as %s", text(credentials, "username"))
                    .isInstanceOf(RedisConnectionException.class);
            if (isWrongPassword(refusal)) {
                return;
            }
        }
        assertThat(rootCauseOf(refusal).getMessage()).startsWith("WRONGPASS");
    }

    private static boolean isWrongPassword(Throwable refusal) {
        return String.valueOf(rootCauseOf(refusal).getMessage()).startsWith("WRONGPASS");
    }

    private static Throwable rootCauseOf(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static RedisServer unreachable(String name, String adminPassword) throws IOException {
        int closedPort = ClosedPort.on(HOST);
        return new RedisServer(
                name, HOST, closedPort, ADMIN, adminPassword, HOST, closedPort, Duration.ofSeconds(1), ServerTls.OFF);
    }

    private static String key(Credentials credentials, String name) {
        return text(credentials, "key_prefix") + name;
    }

    private static String text(Credentials credentials, String key) {
        return (String) credentials.values().get(key);
    }
}
