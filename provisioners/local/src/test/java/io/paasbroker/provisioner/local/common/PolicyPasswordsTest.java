package io.paasbroker.provisioner.local.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyPasswordsTest {

    @Test
    void passwordsMixFourKindsOfCharactersSafeInAUri() {
        String password = PolicyPasswords.generate();

        assertThat(password)
                .hasSizeGreaterThanOrEqualTo(32)
                .matches("[A-Za-z0-9._~-]+")
                .containsPattern("[A-Z]")
                .containsPattern("[a-z]")
                .containsPattern("[0-9]")
                .containsPattern("[-._~]");
    }
}
