package io.paasbroker.it.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.paasbroker.it.AwsTestBedBrokers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Redis on an ElastiCache replication group of each service instance's own (the aws plans, against the AWS test bed),
 * each binding an ElastiCache user. Its data is used as any Redis's; the attacks differ, since every tenant has a
 * server to itself: tenant A's user tried on tenant B's server, and on its own server whatever would reach past its
 * data (the users, the configuration, other connections, replication, modules) that only ElastiCache may do.
 */
public final class AwsRedisProbe implements TenantProbe {

    private final RedisProbe data = new RedisProbe();

    @Override
    public String toString() {
        return "redis on elasticache";
    }

    @Override
    public String service() {
        return AwsTestBedBrokers.REDIS;
    }

    @Override
    public String plan() {
        return AwsTestBedBrokers.REDIS_TINY;
    }

    @Override
    public boolean asynchronous() {
        return true;
    }

    @Override
    public void write(JsonNode credentials, String value) {
        data.write(credentials, value);
    }

    @Override
    public String read(JsonNode credentials) {
        return data.read(credentials);
    }

    @Override
    public boolean canConnect(JsonNode credentials) {
        return data.canConnect(credentials);
    }

    @Override
    public Map<String, Attempt> attacks(JsonNode intruder, JsonNode victim) {
        Map<String, Attempt> attacks = new LinkedHashMap<>();
        attacks.put("log into the victim's server", () -> data.on(victim, intruder, r -> r.get("probe")));
        attacks.put(
                "log into the victim's server as the victim's user with its own password",
                () -> data.on(victim, victimNameOwnPassword(intruder, victim), r -> r.get("probe")));
        attacks.put("list users", () -> data.as(intruder, r -> r.aclList()));
        attacks.put(
                "create a user",
                () -> data.as(
                        intruder,
                        r -> r.aclSetuser(
                                "intruder",
                                AclSetuserArgs.Builder.on()
                                        .addPassword("a-password-of-the-intruder")
                                        .allCommands()
                                        .allKeys())));
        attacks.put("read the configuration", () -> data.as(intruder, r -> r.configGet("*")));
        attacks.put("change the configuration", () -> data.as(intruder, r -> r.configSet("maxmemory", "1")));
        attacks.put("list clients", () -> data.as(intruder, r -> r.clientList()));
        attacks.put("kill other clients", () -> data.as(intruder, r -> r.clientKill("127.0.0.1:1")));
        attacks.put("load a module", () -> raw(intruder, "MODULE", "LOAD", "/tmp/intruder.so"));
        attacks.put("replicate another server", () -> data.as(intruder, r -> r.replicaof("127.0.0.1", 1)));
        attacks.put("write the data to disk", () -> data.as(intruder, r -> r.save()));
        attacks.put("debug the server", () -> raw(intruder, "DEBUG", "SLEEP", "0"));
        // sent raw: Lettuce's shutdown() expects the connection to drop and reports no refusal
        attacks.put("shut the server down", () -> raw(intruder, "SHUTDOWN", "NOSAVE"));
        return attacks;
    }

    /** A command given as its words, whether or not Lettuce has an API for it. */
    private void raw(JsonNode credentials, String command, String... arguments) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String argument : arguments) {
            args.add(argument);
        }
        ProtocolKeyword keyword = () -> command.getBytes(StandardCharsets.US_ASCII);
        data.as(credentials, r -> r.dispatch(keyword, new StatusOutput<>(StringCodec.UTF8), args));
    }

    private static JsonNode victimNameOwnPassword(JsonNode intruder, JsonNode victim) {
        return ((ObjectNode) intruder.deepCopy())
                .put("username", victim.get("username").asText());
    }
}
