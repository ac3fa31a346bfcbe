package io.paasbroker.azure.testbed.fake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArmActionsTest {

    private static final String SERVER =
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL" + "/flexibleServers/pb-1";

    @Test
    void aRequestNeedsTheActionOfItsResourceTypeAndMethod() {
        assertThat(ArmActions.of("PUT", SERVER)).hasValue("Microsoft.DBforPostgreSQL/flexibleServers/write");
        assertThat(ArmActions.of("PATCH", SERVER)).hasValue("Microsoft.DBforPostgreSQL/flexibleServers/write");
        assertThat(ArmActions.of("GET", SERVER)).hasValue("Microsoft.DBforPostgreSQL/flexibleServers/read");
        assertThat(ArmActions.of("DELETE", SERVER)).hasValue("Microsoft.DBforPostgreSQL/flexibleServers/delete");
    }

    @Test
    void aChildsActionNamesEveryTypeOnItsPathAndNoName() {
        assertThat(ArmActions.of("PUT", SERVER + "/firewallRules/broker"))
                .hasValue("Microsoft.DBforPostgreSQL/flexibleServers/firewallRules/write");
        assertThat(ArmActions.of("GET", SERVER + "/firewallRules"))
                .hasValue("Microsoft.DBforPostgreSQL/flexibleServers/firewallRules/read");
    }

    @Test
    void aPostIsItsOwnAction() {
        assertThat(ArmActions.of(
                        "POST",
                        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a/listKeys"))
                .hasValue("Microsoft.Storage/storageAccounts/listKeys/action");
    }

    @Test
    void pollingAnOperationAndReadingAResourceGroupAreReads() {
        assertThat(ArmActions.of(
                        "GET",
                        "/subscriptions/s/providers/Microsoft.DBforPostgreSQL/locations/uksouth/azureAsyncOperation/1"))
                .hasValue("Microsoft.DBforPostgreSQL/locations/azureAsyncOperation/read");
        assertThat(ArmActions.of("GET", "/subscriptions/s/resourceGroups/rg"))
                .hasValue("Microsoft.Resources/subscriptions/resourceGroups/read");
    }
}
