package io.paasbroker.provisioner.local.redis;

import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code ACL SETUSER} rules of a binding's user: keys and channels under the instance's prefix only, and an
 * allow-list of commands.
 *
 * <p>Why an allow-list rather than {@code +@all -@admin -@dangerous ...}: a deny-list lets through every command that
 * Redis does not file under those categories, today {@code SCAN}, {@code RANDOMKEY}, {@code DBSIZE}, {@code SELECT},
 * {@code MOVE}, {@code PUBSUB CHANNELS}, {@code FUNCTION} and {@code CLIENT TRACKING} among them, and tomorrow
 * whatever a new Redis version or a module adds. Each of those can list other tenants' key or channel names or reach
 * beyond the prefix. The allow-list takes the data-type categories whole: their commands name the keys they touch,
 * so the key pattern confines them, and data commands a later Redis adds to them work without a change here. Every
 * other command is named one by one; anything new that is not a data command stays denied until someone decides.
 */
final class RedisAclRules {

    private static final Pattern USER = Pattern.compile("pb-[0-9a-f]+-[0-9a-f]+");
    private static final Pattern KEY_PREFIX = Pattern.compile("pb:[0-9a-f]+:");
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9]{32,}");

    private static final List<String> COMMANDS = List.of(
            "-@all",
            // data commands: each names its keys, which the key pattern confines
            "+@string",
            "+@hash",
            "+@list",
            "+@set",
            "+@sortedset",
            "+@bitmap",
            "+@hyperloglog",
            "+@geo",
            "+@stream",
            "+@transaction",
            // key commands on named keys; not SCAN, KEYS, RANDOMKEY, DBSIZE (they list or count every tenant's keys),
            // nor MOVE, COPY (its DB option), SWAPDB: a key in another database escapes deprovision, which scans db 0
            "+del",
            "+unlink",
            "+exists",
            "+type",
            "+touch",
            "+expire",
            "+pexpire",
            "+expireat",
            "+pexpireat",
            "+expiretime",
            "+pexpiretime",
            "+ttl",
            "+pttl",
            "+persist",
            "+rename",
            "+renamenx",
            // named channels, which the channel pattern confines; not PUBSUB CHANNELS/NUMSUB: every tenant's channels
            "+publish",
            "+subscribe",
            "+unsubscribe",
            "+psubscribe",
            "+punsubscribe",
            "+spublish",
            "+ssubscribe",
            "+sunsubscribe",
            // scripts: every redis.call inside is checked against these same rules; not SCRIPT FLUSH/KILL (they act
            // on every tenant's scripts), nor FUNCTION (one library namespace for the whole server)
            "+eval",
            "+evalsha",
            "+eval_ro",
            "+evalsha_ro",
            "+script|load",
            "+script|exists",
            // the client's own connection; not CLIENT LIST/KILL/PAUSE (other tenants' connections) nor TRACKING
            "+hello",
            "+auth",
            "+ping",
            "+echo",
            "+quit",
            "+reset",
            "+client|id",
            "+client|info",
            "+client|setname",
            "+client|getname",
            "+client|reply",
            // what the data categories bring along that Redis itself calls administrative or dangerous:
            // SORT and SORT_RO (BY and GET read keys by pattern), PFDEBUG, PFSELFTEST
            "-@admin",
            "-@dangerous");

    /** Read-only on top: the key selector already refuses writes; no write command, and no publishing either. */
    private static final List<String> NO_WRITES = List.of("-@write", "-publish", "-spublish");

    private RedisAclRules() {}

    /** The rules after {@code ACL SETUSER <user>}; they start with {@code reset}, so re-running them replaces all. */
    static List<String> forBinding(String user, String keyPrefix, String password, boolean readOnly) {
        require(USER, user, "user name");
        require(PASSWORD, password, "password");
        List<String> rules = new ArrayList<>(List.of(
                "reset",
                "on",
                // Redis keeps only the SHA-256 of a password: send just that, so no plain password is ever on the
                // wire, in the ACL log or in the aclfile
                "#" + ResourceNames.hash(password, 64),
                // reset gives all channels when the server sets acl-pubsub-default allchannels
                "resetchannels",
                (readOnly ? "%R~" : "~") + keyPattern(keyPrefix),
                "&" + keyPattern(keyPrefix)));
        rules.addAll(COMMANDS);
        if (readOnly) {
            rules.addAll(NO_WRITES);
        }
        return List.copyOf(rules);
    }

    /** The glob that matches the instance's keys and channels, for ACL rules and {@code SCAN MATCH}. */
    static String keyPattern(String keyPrefix) {
        return require(KEY_PREFIX, keyPrefix, "key prefix") + "*";
    }

    private static String require(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            // the value itself may be a secret: name only what it is
            throw new ProvisioningFailedException(
                    "refusing to issue a Redis ACL rule: the " + what + " does not match " + pattern);
        }
        return value;
    }
}
