package io.paasbroker.azure.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoleCoverageTest {

    @Test
    void theProjectsRoleAllowsTheActionsItNamesAndNoOthers() {
        RoleCoverage role = RoleCoverage.ofProjectRole();

        assertThat(role.notAllowed(List.of(
                        "Microsoft.DBforPostgreSQL/flexibleServers/write",
                        "microsoft.dbforpostgresql/flexibleservers/firewallrules/delete")))
                .isEmpty();
        assertThat(role.notAllowed(List.of("Microsoft.Authorization/roleAssignments/write")))
                .containsExactly("Microsoft.Authorization/roleAssignments/write");
    }
}
