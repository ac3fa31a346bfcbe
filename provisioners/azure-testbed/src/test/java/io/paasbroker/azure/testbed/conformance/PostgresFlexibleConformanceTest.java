package io.paasbroker.azure.testbed.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.junit.jupiter.api.Test;

/**
 * The gate on requests of the PostgreSQL flexible server API (Microsoft.DBforPostgreSQL 2025-08-01), written as the
 * azure provisioner sends them and broken the ways a client can break them, against the shapes the build wrote.
 */
class PostgresFlexibleConformanceTest {

    private static final ArmConformance GATE = ArmConformance.ofPublishedShapes();

    private static final String SERVER =
            "/subscriptions/0000-1111/resourceGroups/paasbroker/providers/Microsoft.DBforPostgreSQL/flexibleServers/pb-1a2b3c";
    private static final String API = "?api-version=2025-08-01";

    private static final String VALID_SERVER = """
            {"location": "westeurope",
             "tags": {"paasbroker-instance": "1a2b3c"},
             "sku": {"name": "Standard_B1ms", "tier": "Burstable"},
             "properties": {
               "administratorLogin": "pbadmin",
               "administratorLoginPassword": "Aa1-secret-pass",
               "version": "16",
               "storage": {"storageSizeGB": 32, "autoGrow": "Disabled"},
               "backup": {"backupRetentionDays": 7, "geoRedundantBackup": "Disabled"},
               "highAvailability": {"mode": "Disabled"},
               "network": {"publicNetworkAccess": "Enabled"},
               "authConfig": {"activeDirectoryAuth": "Disabled", "passwordAuth": "Enabled"},
               "createMode": "Create"}}
            """;

    @Test
    void aServerCreatedAsTheProvisionerWritesItConforms() {
        ArmRequest create = ArmRequest.of("PUT", SERVER + API, VALID_SERVER);

        assertThat(GATE.check(create)).isEmpty();
        assertThat(GATE.operationOf(create))
                .hasValueSatisfying(operation -> assertThat(operation.name()).isEqualTo("servers.createOrUpdate"))
                .hasValueSatisfying(
                        operation -> assertThat(operation.bodyMapper()).contains("Server"));
    }

    @Test
    void aPropertyTheServerShapeLacksIsRefused() {
        String body = VALID_SERVER.replace("\"createMode\"", "\"administratorUser\": \"pbadmin\", \"createMode\"");

        assertThat(GATE.check(ArmRequest.of("PUT", SERVER + API, body)))
                .singleElement()
                .asString()
                .startsWith("servers.createOrUpdate: $.properties.administratorUser is no property")
                .contains("administratorLogin");
    }

    @Test
    void readOnlyPropertiesSentByTheClientAreRefused() {
        String body = VALID_SERVER.replace(
                "\"createMode\"", "\"state\": \"Ready\", \"fullyQualifiedDomainName\": \"x.postgres\", \"createMode\"");

        assertThat(GATE.check(ArmRequest.of("PUT", SERVER + API, body)))
                .containsExactly(
                        "servers.createOrUpdate: $.properties.state is read-only: Azure sets it, a client does not"
                                + " send it",
                        "servers.createOrUpdate: $.properties.fullyQualifiedDomainName is read-only: Azure sets it, a"
                                + " client does not send it");
    }

    @Test
    void missingRequiredPropertiesAreRefused() {
        String noSkuName = VALID_SERVER.replace("\"name\": \"Standard_B1ms\", ", "");
        String noLocation = VALID_SERVER.replace("\"location\": \"westeurope\",", "");

        assertThat(GATE.check(ArmRequest.of("PUT", SERVER + API, noSkuName)))
                .containsExactly("servers.createOrUpdate: $.sku.name is required");
        assertThat(GATE.check(ArmRequest.of("PUT", SERVER + API, noLocation)))
                .containsExactly("servers.createOrUpdate: $.location is required");
    }

    @Test
    void aValueOfTheWrongJsonTypeIsRefused() {
        String body = VALID_SERVER.replace("\"storageSizeGB\": 32", "\"storageSizeGB\": \"32\"");

        assertThat(GATE.check(ArmRequest.of("PUT", SERVER + API, body)))
                .containsExactly(
                        "servers.createOrUpdate: $.properties.storage.storageSizeGB: '32' where the shape has a Number");
    }

    @Test
    void anApiVersionWithoutPublishedShapesIsRefused() {
        assertThat(GATE.check(ArmRequest.of("PUT", SERVER + "?api-version=2022-12-01", VALID_SERVER)))
                .singleElement()
                .asString()
                .contains("Microsoft.DBforPostgreSQL has no published shapes at api-version 2022-12-01", "2025-08-01");
        assertThat(GATE.check(ArmRequest.of("PUT", SERVER, VALID_SERVER)))
                .singleElement()
                .asString()
                .contains("no api-version query parameter");
    }

    @Test
    void aFirewallRulePathFillsInItsTemplateAndItsBodyKeepsThePattern() {
        String path = SERVER + "/firewallRules/allow-all";
        ArmRequest rule = ArmRequest.of(
                "PUT", path + API, "{\"properties\":{\"startIpAddress\":\"0.0.0.0\",\"endIpAddress\":\"0.0.0.0\"}}");

        ArmOperation operation = GATE.operationOf(rule).orElseThrow();
        assertThat(operation.name()).isEqualTo("firewallRules.createOrUpdate");
        assertThat(operation.pathTemplate()).endsWith("/flexibleServers/{serverName}/firewallRules/{firewallRuleName}");
        assertThat(operation.pathValues(path))
                .containsEntry("serverName", "pb-1a2b3c")
                .containsEntry("firewallRuleName", "allow-all");
        assertThat(GATE.check(rule)).isEmpty();

        assertThat(GATE.check(ArmRequest.of(
                        "PUT",
                        path + API,
                        "{\"properties\":{\"startIpAddress\":\"10.0.0.256\",\"endIpAddress\":\"10.0.0.1\"}}")))
                .singleElement()
                .asString()
                .startsWith("firewallRules.createOrUpdate: $.properties.startIpAddress: '10.0.0.256' does not match"
                        + " the pattern ^((");
        assertThat(GATE.check(ArmRequest.of("PUT", path + API, "")))
                .containsExactly("firewallRules.createOrUpdate: the request body (a FirewallRule) is required");
        assertThat(GATE.check(ArmRequest.of("PUT", path + API, "{}")))
                .containsExactly("firewallRules.createOrUpdate: $.properties is required");
    }

    @Test
    void aPathParameterKeepsItsLengthAndAPatternOfTheBodyHoldsToo() {
        String longName = "/flexibleServers/" + "a".repeat(64);
        String database = SERVER.replace("/flexibleServers/pb-1a2b3c", longName) + "/databases/app" + API;

        assertThat(GATE.check(ArmRequest.of("PUT", database, "{\"properties\":{\"charset\":\"UTF8\"}}")))
                .containsExactly("databases.create: the path parameter serverName: length 64 is above MaxLength 63");
        assertThat(GATE.check(ArmRequest.of(
                        "PUT", SERVER + "/databases/app" + API, "{\"properties\":{\"charset\":\"8bit\"}}")))
                .containsExactly(
                        "databases.create: $.properties.charset: '8bit' does not match the pattern ^[a-zA-Z]+\\w*$");
    }

    @Test
    void anOnDemandBackupIsAPutWithoutABody() {
        String backup = SERVER + "/backups/snap-1" + API;

        assertThat(GATE.operationOf(ArmRequest.of("PUT", backup, null)))
                .hasValueSatisfying(
                        operation -> assertThat(operation.name()).isEqualTo("backupsAutomaticAndOnDemand.create"));
        assertThat(GATE.check(ArmRequest.of("PUT", backup, null))).isEmpty();
        assertThat(GATE.check(ArmRequest.of("PUT", backup, "{\"name\":\"snap-1\"}")))
                .containsExactly(
                        "backupsAutomaticAndOnDemand.create: the operation takes no request body, and one was sent");
    }

    @Test
    void aMethodThePathDoesNotPublishIsRefusedWithWhatItDoes() {
        assertThat(GATE.check(ArmRequest.of("POST", SERVER + "/firewallRules/r1" + API, null)))
                .singleElement()
                .asString()
                .contains("no operation of Microsoft.DBforPostgreSQL at 2025-08-01 has this method and path")
                .contains("PUT firewallRules.createOrUpdate at 2025-08-01");
    }

    @Test
    void aFakeThatReadTheApiVersionAndParsedTheBodyItselfGetsTheSameVerdicts() throws Exception {
        ObjectMapper json = new ObjectMapper();

        assertThat(GATE.check("PUT", SERVER, "2025-08-01", json.readTree(VALID_SERVER)))
                .isEmpty();
        assertThat(GATE.check("PUT", SERVER + "/backups/snap-1", "2025-08-01", MissingNode.getInstance()))
                .isEmpty();
        assertThat(GATE.check("PUT", SERVER + "/firewallRules/r1", "2025-08-01", MissingNode.getInstance()))
                .containsExactly("firewallRules.createOrUpdate: the request body (a FirewallRule) is required");
        assertThat(GATE.check("PUT", SERVER, null, json.readTree(VALID_SERVER)))
                .singleElement()
                .asString()
                .contains("no api-version query parameter");
    }
}
