package io.paasbroker.it.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.paasbroker.azure.testbed.fake.FakeEntraId;
import io.paasbroker.it.AzureTestBedBrokers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Redis on an Azure Managed Redis cache of each service instance's own (the azure plans, against the Azure test bed,
 * a real Redis behind each cache), each binding an application's own Entra ID identity, which the probe registers for
 * the bind ({@code object_id}) and logs in as, as the application does: its object id as the user name, and as the
 * password a token it got through the Azure SDK for the binding's {@code entra_id_scope}. Each application keeps a
 * session open, as applications do, so that an unbind is seen to end the sessions it had as well as refuse new ones.
 * Every tenant has a cache to itself, so the attacks are the ElastiCache ones ({@link AwsRedisProbe}): tenant A's
 * identity and tokens tried on tenant B's cache, and on its own cache whatever only Azure may do; each must be refused
 * as Redis refuses a login ({@code WRONGPASS}) or a command ({@code NOPERM}), not merely fail.
 */
public final class ManagedRedisProbe implements TenantProbe {

    /** The scope of an application's tokens for Azure Resource Manager: another audience than Redis's. */
    static final String RESOURCE_MANAGER_SCOPE = "https://management.azure.com/.default";

    private static final String KEY = "probe";

    /** Redis's refusal of a login: no such user, or not with that password. */
    private static final List<String> WRONGPASS = List.of("WRONGPASS ");
    /** Redis's refusal of a command on a connection that has not logged in. */
    private static final List<String> NOAUTH = List.of("NOAUTH ");
    /**
     * Redis's refusal of a command its user's rules leave out ({@code -@admin}), or, before those rules are read, of a
     * command Redis 7 keeps from every client (MODULE, DEBUG).
     */
    private static final List<String> FORBIDDEN =
            List.of("NOPERM ", "ERR MODULE command not allowed", "ERR DEBUG command not allowed");

    private final AzureTestBedBrokers bed;
    private final RedisProbe redis = new RedisProbe();
    /** The applications the probe registered, by object id. */
    private final Map<String, FakeEntraId.Principal> applications = new ConcurrentHashMap<>();
    /** Each application's own session, by object id. */
    private final Map<String, StatefulRedisConnection<String, String>> sessions = new ConcurrentHashMap<>();

    /** Its applications registered in {@code bed}'s Entra ID. */
    public ManagedRedisProbe(AzureTestBedBrokers bed) {
        this.bed = bed;
    }

    @Override
    public String toString() {
        return "redis on azure managed redis";
    }

    @Override
    public String service() {
        return AzureTestBedBrokers.REDIS;
    }

    @Override
    public String plan() {
        return AzureTestBedBrokers.REDIS_BALANCED_B0;
    }

    @Override
    public boolean asynchronous() {
        return true;
    }

    /** A new application's identity for each binding. */
    @Override
    public Map<String, Object> bindParameters() {
        FakeEntraId.Principal application = bed.application();
        applications.put(application.objectId(), application);
        return Map.of("object_id", application.objectId());
    }

    /** Azure has only its default access policy: every command on every key. */
    @Override
    public boolean readOnlyBindings() {
        return false;
    }

    @Override
    public void write(JsonNode credentials, String value) {
        session(credentials).sync().set(KEY, value);
    }

    @Override
    public String read(JsonNode credentials) {
        return session(credentials).sync().get(KEY);
    }

    /** Whether the application's session still answers, or it can log in anew. */
    @Override
    public boolean canConnect(JsonNode credentials) {
        StatefulRedisConnection<String, String> session = sessions.get(objectId(credentials));
        return (session != null && answers(session)) || loggedIn(credentials);
    }

    @Override
    public Map<String, Attempt> attacks(JsonNode intruder, JsonNode victim) {
        String redisScope = intruder.get("entra_id_scope").asText();
        Map<String, Attempt> attacks = new LinkedHashMap<>();
        attacks.put(
                "log into the victim's cache as itself",
                refusedWith(WRONGPASS, () -> redis.on(victim, login(intruder, redisScope), r -> r.get(KEY))));
        attacks.put(
                "log into the victim's cache as the victim's identity with its own token",
                refusedWith(
                        WRONGPASS,
                        () -> redis.on(victim, login(objectId(victim), token(intruder, redisScope)), r -> r.get(KEY))));
        attacks.put(
                "log into the victim's cache as the victim's identity with a token Entra ID never issued",
                refusedWith(
                        WRONGPASS,
                        () -> redis.on(
                                victim, login(objectId(victim), "a-token-entra-id-never-issued"), r -> r.get(KEY))));
        attacks.put(
                "log into the victim's cache with the uri alone (its user name, no password)",
                refusedWith(WRONGPASS, () -> redis.on(victim, login(objectId(victim), ""), r -> r.get(KEY))));
        attacks.put(
                "read the victim's data without logging in",
                refusedWith(NOAUTH, () -> redis.on(victim, JsonNodeFactory.instance.objectNode(), r -> r.get(KEY))));
        attacks.put(
                "log into its own cache with its token for Azure Resource Manager",
                refusedWith(
                        WRONGPASS, () -> redis.on(intruder, login(intruder, RESOURCE_MANAGER_SCOPE), r -> r.ping())));
        attacks.put("find the victim's data in its own cache", () -> {
            String victims = read(victim);
            as(
                    intruder,
                    r -> r.keys("*").forEach(key -> {
                        if (victims.equals(r.get(key))) {
                            throw new AssertionError("the victim's data is in the intruder's cache, at " + key);
                        }
                    }));
            throw new IllegalStateException("its own cache holds its own data alone, as it should");
        });
        RedisServerAttacks.of(action -> as(intruder, action))
                .forEach((what, attempt) -> attacks.put(what, refusedWith(FORBIDDEN, attempt)));
        return attacks;
    }

    /**
     * {@code attempt}, which Redis must refuse with an error of {@code refusals}: refused otherwise (a timeout, a
     * dropped connection, another error), it fails the matrix as a probe's failed check does.
     */
    private static Attempt refusedWith(List<String> refusals, Attempt attempt) {
        return () -> {
            try {
                attempt.run();
            } catch (Exception refused) {
                String error = redisError(refused).orElse("");
                if (refusals.stream().noneMatch(error::startsWith)) {
                    throw new AssertionError("refused otherwise than with " + refusals + ": " + refused, refused);
                }
                throw refused;
            }
        };
    }

    /** The error Redis answered, under the client's own exceptions (a login's is the cause of a refused connect). */
    private static Optional<String> redisError(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisCommandExecutionException answered) {
                return Optional.ofNullable(answered.getMessage());
            }
        }
        return Optional.empty();
    }

    private boolean answers(StatefulRedisConnection<String, String> session) {
        try {
            session.sync().ping();
            return true;
        } catch (RedisException closed) {
            assertThat(session.isOpen())
                    .as("a session that no longer answers (%s) is closed", closed)
                    .isFalse();
            return false;
        }
    }

    /** Whether the application can log in anew; a refusal must be Redis's of a login. */
    private boolean loggedIn(JsonNode credentials) {
        try {
            as(credentials, RedisCommands::ping);
            return true;
        } catch (RedisException refused) {
            assertThat(redisError(refused))
                    .as("a refused login (%s)", refused)
                    .hasValueSatisfying(error -> assertThat(error).startsWith(WRONGPASS.get(0)));
            return false;
        }
    }

    /** The application's session, opened with its first use. */
    private StatefulRedisConnection<String, String> session(JsonNode credentials) {
        return sessions.computeIfAbsent(
                objectId(credentials),
                id -> redis.connect(
                        credentials,
                        login(credentials, credentials.get("entra_id_scope").asText())));
    }

    /** On a new connection, logged in as the binding's identity with a new token for the binding's scope. */
    private void as(JsonNode credentials, Consumer<RedisCommands<String, String>> action) {
        redis.on(
                credentials,
                login(credentials, credentials.get("entra_id_scope").asText()),
                action);
    }

    /** As the binding's identity, with its token for {@code scope}. */
    private ObjectNode login(JsonNode credentials, String scope) {
        return login(objectId(credentials), token(credentials, scope));
    }

    private static ObjectNode login(String username, String password) {
        return JsonNodeFactory.instance.objectNode().put("username", username).put("password", password);
    }

    /**
     * A token for {@code scope}, as the binding's application gets one through the Azure SDK from Entra ID (the
     * test bed's, whose CA it trusts as Azure's).
     */
    private String token(JsonNode credentials, String scope) {
        return bed.token(applications.get(objectId(credentials)), scope);
    }

    private static String objectId(JsonNode credentials) {
        return credentials.get("username").asText();
    }
}
