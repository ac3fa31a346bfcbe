package io.paasbroker.opensearch.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeDistributionTest {

    @Test
    void aJarIsKnownByItsArtifactWhateverItsVersion() {
        assertThat(NodeDistribution.artifact("netty-buffer-4.1.125.Final.jar")).isEqualTo("netty-buffer");
        assertThat(NodeDistribution.artifact("bcprov-jdk18on-1.82.jar")).isEqualTo("bcprov-jdk18on");
        assertThat(NodeDistribution.artifact("opensearch-2.19.4.jar")).isEqualTo("opensearch");
        assertThat(NodeDistribution.artifact("opensearch-security-2.19.4.0.jar"))
                .isEqualTo("opensearch-security");
        assertThat(NodeDistribution.artifact("scala-java8-compat_3-1.0.2.jar")).isEqualTo("scala-java8-compat_3");
        assertThat(NodeDistribution.artifact("plugin-descriptor.properties")).isEqualTo("plugin-descriptor.properties");
    }

    @Test
    void generatedAdminPasswordsMixFourKindsOfCharacters() {
        String password = OpenSearchNode.StrongPasswords.generate();

        assertThat(password)
                .hasSize(24)
                .containsPattern("[A-Z]")
                .containsPattern("[a-z]")
                .containsPattern("[0-9]")
                .containsPattern("[-_.~]");
    }
}
