package io.paasbroker.it.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.it.AwsTestBedBrokers;
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
        attacks.putAll(RedisServerAttacks.of(action -> data.as(intruder, action)));
        return attacks;
    }

    private static JsonNode victimNameOwnPassword(JsonNode intruder, JsonNode victim) {
        return ((ObjectNode) intruder.deepCopy())
                .put("username", victim.get("username").asText());
    }
}
