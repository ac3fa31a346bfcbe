package io.paasbroker.aws.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IamPolicyCoverageTest {

    @Test
    void anActionIsCoveredByAnAllowStatementNamingItOrAWildcardOfIt(@TempDir Path directory) throws IOException {
        Path policy = directory.resolve("policy.json");
        Files.writeString(policy, """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": ["rds:CreateDBInstance", "rds:Describe*"], "Resource": "*"},
                  {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"},
                  {"Effect": "Deny", "Action": "rds:DeleteDBInstance", "Resource": "*"}
                ]}
                """);

        IamPolicyCoverage coverage = IamPolicyCoverage.of(policy);

        assertThat(coverage.notAllowed(List.of(
                        "rds:CreateDBInstance",
                        "rds:describedbinstances",
                        "rds:DescribeDBSnapshots",
                        "sts:AssumeRole",
                        "rds:DeleteDBInstance",
                        "rds:ModifyDBInstance",
                        "elasticache:DescribeCacheClusters")))
                .containsExactly("elasticache:DescribeCacheClusters", "rds:DeleteDBInstance", "rds:ModifyDBInstance");
    }

    @Test
    void theProjectsPolicyIsFoundFromAModuleDirectory() {
        assertThat(IamPolicyCoverage.ofProjectPolicy().notAllowed(List.of("rds:CreateDBInstance")))
                .isEmpty();
    }
}
