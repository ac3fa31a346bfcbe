package io.paasbroker.it.isolation;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.paasbroker.it.isolation.TenantProbe.Attempt;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a tenant with a Redis server of its own (a cloud's cache per instance) might try on that server past its data:
 * the users, the configuration, other connections, replication, modules, persistence, debugging and shutdown, which
 * only the cloud may touch. Shared by the clouds' Redis probes, each logging in its own way.
 */
final class RedisServerAttacks {

    /** Runs an action on a connection of the intruder's binding, to its own server. */
    interface Session {
        void run(Consumer<RedisCommands<String, String>> action);
    }

    private RedisServerAttacks() {}

    static Map<String, Attempt> of(Session intruder) {
        Map<String, Attempt> attacks = new LinkedHashMap<>();
        attacks.put("list users", () -> intruder.run(RedisCommands::aclList));
        attacks.put(
                "create a user",
                () -> intruder.run(r -> r.aclSetuser(
                        "intruder",
                        AclSetuserArgs.Builder.on()
                                .addPassword("a-password-of-the-intruder")
                                .allCommands()
                                .allKeys())));
        attacks.put("read the configuration", () -> intruder.run(r -> r.configGet("*")));
        attacks.put("change the configuration", () -> intruder.run(r -> r.configSet("maxmemory", "1")));
        attacks.put("list clients", () -> intruder.run(RedisCommands::clientList));
        attacks.put("kill other clients", () -> intruder.run(r -> r.clientKill("127.0.0.1:1")));
        attacks.put("load a module", () -> intruder.run(r -> raw(r, "MODULE", "LOAD", "/tmp/intruder.so")));
        attacks.put("replicate another server", () -> intruder.run(r -> r.replicaof("127.0.0.1", 1)));
        attacks.put("write the data to disk", () -> intruder.run(RedisCommands::save));
        attacks.put("debug the server", () -> intruder.run(r -> raw(r, "DEBUG", "SLEEP", "0")));
        // sent raw: Lettuce's shutdown() expects the connection to drop and reports no refusal
        attacks.put("shut the server down", () -> intruder.run(r -> raw(r, "SHUTDOWN", "NOSAVE")));
        return attacks;
    }

    /** A command given as its words, whether or not Lettuce has an API for it. */
    static String raw(RedisCommands<String, String> redis, String command, String... arguments) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String argument : arguments) {
            args.add(argument);
        }
        ProtocolKeyword keyword = () -> command.getBytes(StandardCharsets.US_ASCII);
        return redis.dispatch(keyword, new StatusOutput<>(StringCodec.UTF8), args);
    }
}
