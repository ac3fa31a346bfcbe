package io.paasbroker.provisioner.local.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.provisioner.Passwords;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.ResourceNames;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisAclRulesTest {

    private static final String USER = RedisNames.bindingUser("instance", "binding");
    private static final String PREFIX = RedisNames.keyPrefix("instance");

    @Test
    void readWriteRulesConfineKeysAndChannelsToThePrefixAndCarryOnlyThePasswordsHash() {
        String password = Passwords.generate();

        List<String> rules = RedisAclRules.forBinding(USER, PREFIX, password, false);

        assertThat(rules)
                .startsWith("reset", "on", "#" + ResourceNames.hash(password, 64), "resetchannels")
                .contains("~" + PREFIX + "*", "&" + PREFIX + "*", "-@all")
                .endsWith("-@admin", "-@dangerous")
                .noneMatch(rule -> rule.contains(password))
                .noneMatch(rule -> rule.startsWith("%R~"));
    }

    @Test
    void readOnlyRulesUseTheReadSelectorAndDropWritesAndPublishing() {
        List<String> rules = RedisAclRules.forBinding(USER, PREFIX, Passwords.generate(), true);

        assertThat(rules)
                .contains("%R~" + PREFIX + "*")
                .doesNotContain("~" + PREFIX + "*")
                .endsWith("-@write", "-publish", "-spublish");
    }

    @Test
    void refusesAKeyPrefixWithAGlobCharacter() {
        assertThatThrownBy(() -> RedisAclRules.forBinding(USER, "pb:*:", Passwords.generate(), false))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("key prefix");
    }

    @Test
    void refusesAPasswordThatWouldReadAsAnotherRuleAndDoesNotRepeatIt() {
        String password = Passwords.generate() + " +@all";

        assertThatThrownBy(() -> RedisAclRules.forBinding(USER, PREFIX, password, false))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("password")
                .hasMessageNotContaining(password);
    }

    @Test
    void refusesAUserNameOutsideTheDerivedForm() {
        assertThatThrownBy(() -> RedisAclRules.forBinding("admin on", PREFIX, Passwords.generate(), false))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining("user name");
    }
}
