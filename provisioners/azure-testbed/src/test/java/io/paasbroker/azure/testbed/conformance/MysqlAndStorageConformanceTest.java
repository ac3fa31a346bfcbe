package io.paasbroker.azure.testbed.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The gate on the MySQL flexible server API, whose published groups come at three api-versions, and on the storage
 * API the blob provisioner calls (storage accounts' keys, blob containers), against the shapes the build wrote.
 */
class MysqlAndStorageConformanceTest {

    private static final ArmConformance GATE = ArmConformance.ofPublishedShapes();

    private static final String MYSQL =
            "/subscriptions/0000-1111/resourceGroups/paasbroker/providers/Microsoft.DBforMySQL/flexibleServers/pb-4d5e6f";
    private static final String ACCOUNT =
            "/subscriptions/0000-1111/resourceGroups/paasbroker/providers/Microsoft.Storage/storageAccounts/pbplanblobs";

    @Test
    void theShapesCoverEachProviderAtItsPublishedApiVersions() {
        ArmShapes shapes = GATE.shapes();

        assertThat(shapes.apiVersions("Microsoft.DBforPostgreSQL")).containsExactly("2025-08-01");
        assertThat(shapes.apiVersions("Microsoft.DBforMySQL"))
                .containsExactly("2023-06-01-preview", "2023-10-01-preview", "2023-12-30");
        assertThat(shapes.apiVersions("microsoft.storage")).containsExactly("2025-06-01");
    }

    @Test
    void aMysqlServerAtTheStableApiVersionConformsAndKeepsItsNamePattern() {
        String server = """
                {"location": "westeurope",
                 "sku": {"name": "Standard_B1ms", "tier": "Burstable"},
                 "properties": {"administratorLogin": "pbadmin", "administratorLoginPassword": "Aa1-secret-pass",
                   "version": "8.0.21", "storage": {"storageSizeGB": 20, "autoGrow": "Enabled"},
                   "backup": {"backupRetentionDays": 7, "geoRedundantBackup": "Disabled"},
                   "restorePointInTime": "2025-01-31T10:00:00Z", "createMode": "Default"}}
                """;

        assertThat(GATE.check(ArmRequest.of("PUT", MYSQL + "?api-version=2023-12-30", server)))
                .isEmpty();
        assertThat(GATE.check(ArmRequest.of(
                        "PUT", MYSQL + "?api-version=2023-12-30", server.replace("2025-01-31T10:00:00Z", "yesterday"))))
                .containsExactly(
                        "servers.create: $.properties.restorePointInTime: 'yesterday' where the shape has a DateTime");
        assertThat(GATE.check(ArmRequest.of(
                        "PUT", MYSQL.replace("pb-4d5e6f", "PB_Server") + "?api-version=2023-12-30", server)))
                .singleElement()
                .asString()
                .startsWith("servers.create: the path parameter serverName: 'PB_Server' does not match the pattern");
    }

    /**
     * Azure's specification publishes firewall rules, configurations and backups at the stable 2023-12-30 too; the npm
     * package holds them at previews only, whose shapes stand in for them at 2023-12-30 alone.
     */
    @Test
    void aMysqlFirewallRuleAtTheStableVersionIsCheckedAgainstThePackagedShapesOfItsGroup() {
        String rule = "{\"properties\":{\"startIpAddress\":\"10.0.0.1\",\"endIpAddress\":\"10.0.0.9\"}}";
        String path = MYSQL + "/firewallRules/allow-app";

        assertThat(GATE.check(ArmRequest.of("PUT", path + "?api-version=2023-12-30", rule)))
                .isEmpty();
        assertThat(GATE.check(ArmRequest.of("PUT", path + "?api-version=2023-12-30", "{\"properties\":{}}")))
                .isNotEmpty()
                .allSatisfy(violation -> assertThat(violation).startsWith("firewallRules.createOrUpdate: "));
        assertThat(GATE.check(ArmRequest.of("PUT", MYSQL + "/backups/snap-1?api-version=2023-12-30", null)))
                .isEmpty();
        assertThat(GATE.check(ArmRequest.of("PUT", path + "?api-version=2023-10-01-preview", rule)))
                .singleElement()
                .asString()
                .contains("no operation of Microsoft.DBforMySQL at 2023-10-01-preview has this method and path");
    }

    @Test
    void aBlobContainerKeepsItsClosedEnumReadOnlyPropertiesAndNameLength() {
        String container = ACCOUNT + "/blobServices/default/containers/";

        assertThat(GATE.check(ArmRequest.of(
                        "PUT",
                        container + "pb-instance-1?api-version=2025-06-01",
                        "{\"properties\":{\"publicAccess\":\"None\",\"metadata\":{\"instance\":\"1\"}}}")))
                .isEmpty();
        assertThat(GATE.check(ArmRequest.of(
                        "PUT",
                        container + "pb-instance-1?api-version=2025-06-01",
                        "{\"properties\":{\"publicAccess\":\"Private\",\"hasLegalHold\":false}}")))
                .containsExactly(
                        "blobContainers.create: $.properties.publicAccess: \"Private\" is not among the allowed values"
                                + " [Container, Blob, None]",
                        "blobContainers.create: $.properties.hasLegalHold is read-only: Azure sets it, a client does"
                                + " not send it");
        assertThat(GATE.check(ArmRequest.of("DELETE", container + "pb?api-version=2025-06-01", null)))
                .containsExactly(
                        "blobContainers.delete: the path parameter containerName: length 2 is below MinLength 3");
    }

    @Test
    void listingAStorageAccountsKeysIsAPostWithoutABody() {
        ArmRequest listKeys = ArmRequest.of("POST", ACCOUNT + "/listKeys?api-version=2025-06-01", null);

        assertThat(GATE.operationOf(listKeys))
                .hasValueSatisfying(operation -> assertThat(operation.name()).isEqualTo("storageAccounts.listKeys"));
        assertThat(GATE.check(listKeys)).isEmpty();
        assertThat(GATE.check(ArmRequest.of("GET", ACCOUNT + "?api-version=2025-06-01", null)))
                .isEmpty();
    }

    @Test
    void aProviderWithoutShapesIsRefused() {
        assertThat(GATE.check(ArmRequest.of(
                        "PUT",
                        "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/v?api-version=2025-05-01",
                        "{}")))
                .singleElement()
                .asString()
                .contains("no published shapes of Microsoft.KeyVault");
    }
}
