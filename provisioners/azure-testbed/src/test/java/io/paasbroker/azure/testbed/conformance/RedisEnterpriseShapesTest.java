package io.paasbroker.azure.testbed.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The shapes of Azure Managed Redis at 2025-07-01, transcribed by hand from Azure's specification: what the 2022-01-01
 * npm package also describes must agree with it (a slip in the transcription of the older subset shows here), and the
 * gate keeps the rules of 2025-07-01.
 */
class RedisEnterpriseShapesTest {

    private static final ArmConformance GATE = ArmConformance.ofPublishedShapes();
    private static final ArmApi TRANSCRIBED =
            GATE.shapes().api("Microsoft.Cache", "2025-07-01").orElseThrow();
    private static final ArmApi PACKAGED =
            GATE.shapes().api("Microsoft.Cache", "2022-01-01").orElseThrow();

    private static final String CLUSTER = "/subscriptions/0000-1111/resourceGroups/paasbroker/providers/"
            + "Microsoft.Cache/redisEnterprise/pb-redis-1";
    private static final String VERSION = "?api-version=2025-07-01";

    @Test
    void theTranscriptionSaysWhereItComesFrom() {
        assertThat(TRANSCRIBED.npmPackage())
                .isEqualTo("transcribed from azure-rest-api-specs specification/redisenterprise/resource-manager/"
                        + "Microsoft.Cache/RedisEnterprise/stable/2025-07-01/redisenterprise.json");
        assertThat(PACKAGED.npmPackage()).isEqualTo("@azure/arm-redisenterprisecache@2.2.0");
    }

    @Test
    void everyRequestMapperTheOlderPackageAlsoHasAgreesWithTheTranscription() {
        List<String> differences = new ArrayList<>();
        List<String> compared = new ArrayList<>();
        for (ArmOperation operation : TRANSCRIBED.operations()) {
            operation.bodyMapper().ifPresent(className -> {
                if (PACKAGED.mapper(className).isObject()) {
                    compared.add(className);
                    definition(className, TRANSCRIBED.mapper(className), PACKAGED.mapper(className), differences);
                }
            });
        }

        assertThat(compared)
                .contains(
                        "Cluster",
                        "ClusterUpdate",
                        "Database",
                        "DatabaseUpdate",
                        "RegenerateKeyParameters",
                        "ImportClusterParameters",
                        "ExportClusterParameters");
        assertThat(differences).isEmpty();
    }

    @Test
    void everyOperationOfTheOlderPackageTheTestBedServesHasTheSamePathAndBody() {
        List<String> differences = new ArrayList<>();
        for (ArmOperation old : PACKAGED.operations()) {
            TRANSCRIBED.operations().stream()
                    .filter(operation -> operation.name().equals(old.name()))
                    .forEach(operation -> {
                        if (!operation.pathTemplate().equals(old.pathTemplate())
                                || !operation.method().equals(old.method())
                                || !operation.bodyMapper().equals(old.bodyMapper())) {
                            differences.add(operation + " where the package has " + old);
                        }
                    });
        }

        assertThat(differences).isEmpty();
    }

    @Test
    void aConformingClusterPutPasses() {
        assertThat(GATE.check(
                        ArmRequest.of("PUT", CLUSTER + VERSION, cluster("\"publicNetworkAccess\": \"Enabled\","))))
                .isEmpty();
    }

    @Test
    void aClusterPutWithoutPublicNetworkAccessFails() {
        assertThat(GATE.check(ArmRequest.of("PUT", CLUSTER + VERSION, cluster(""))))
                .containsExactly("redisEnterprise.create: $.properties.publicNetworkAccess is required");
    }

    @Test
    void aClusterOfAnSkuAzureDoesNotSellFails() {
        assertThat(GATE.check(ArmRequest.of(
                        "PUT",
                        CLUSTER + VERSION,
                        cluster("\"publicNetworkAccess\": \"Enabled\",").replace("Balanced_B1", "Balanced_B2"))))
                .singleElement()
                .asString()
                .startsWith("redisEnterprise.create: $.sku.name: \"Balanced_B2\" is not among the allowed values");
    }

    @Test
    void anAccessPolicyAssignmentNeedsANameOfLettersAndDigitsAndItsPolicyAndUser() {
        String assignment = "{\"properties\": {\"accessPolicyName\": \"default\","
                + " \"user\": {\"objectId\": \"6b9f3d1e-0c2a-4f5b-8e7d-1a2b3c4d5e6f\"}}}";
        String path = CLUSTER + "/databases/default/accessPolicyAssignments/";

        assertThat(GATE.check(ArmRequest.of("PUT", path + "pbbinding1" + VERSION, assignment)))
                .isEmpty();
        assertThat(GATE.check(ArmRequest.of("PUT", path + "pb-binding-1" + VERSION, assignment)))
                .singleElement()
                .asString()
                .startsWith("accessPolicyAssignment.createUpdate: the path parameter accessPolicyAssignmentName:"
                        + " 'pb-binding-1' does not match the pattern");
        assertThat(GATE.check(ArmRequest.of("PUT", path + "pbbinding1" + VERSION, "{\"properties\": {}}")))
                .containsExactlyInAnyOrder(
                        "accessPolicyAssignment.createUpdate: $.properties.accessPolicyName is required",
                        "accessPolicyAssignment.createUpdate: $.properties.user is required");
    }

    private static String cluster(String publicNetworkAccess) {
        return """
                {"location": "uksouth", "sku": {"name": "Balanced_B1"}, "tags": {"paasbroker": "yes"},
                 "properties": {%s "minimumTlsVersion": "1.2", "highAvailability": "Enabled"}}
                """.formatted(publicNetworkAccess);
    }

    /** Each property both mappers have: the same type (composite ones compared within), and the same enum values. */
    private static void definition(String at, JsonNode transcribed, JsonNode packaged, List<String> differences) {
        properties(at, transcribed.path("properties"), packaged.path("properties"), differences);
    }

    private static void properties(String at, JsonNode transcribed, JsonNode packaged, List<String> differences) {
        for (Map.Entry<String, JsonNode> property : iterable(packaged)) {
            JsonNode mine = transcribed.get(property.getKey());
            if (mine != null) {
                shape(at + "." + property.getKey(), mine, property.getValue(), differences);
            }
        }
    }

    /**
     * An extensible enum is a String in the package's shapes; the transcription may list its values as an Enum (the
     * SKUs), which still agrees.
     */
    private static void shape(String at, JsonNode transcribed, JsonNode packaged, List<String> differences) {
        String type = transcribed.path("type").asText();
        String packagedType = packaged.path("type").asText();
        if (!type.equals(packagedType) && !(type.equals("Enum") && packagedType.equals("String"))) {
            differences.add(at + ": " + type + " transcribed, " + packagedType + " in the package");
            return;
        }
        if (transcribed.path("readOnly").asBoolean()
                != packaged.path("readOnly").asBoolean()) {
            differences.add(at + ": read-only differs");
        }
        if (type.equals("Enum") && packagedType.equals("Enum")) {
            TreeSet<String> mine = texts(transcribed.path("allowedValues"));
            TreeSet<String> theirs = texts(packaged.path("allowedValues"));
            if (!mine.containsAll(theirs)) {
                differences.add(at + ": the values " + mine + " transcribed, " + theirs + " in the package");
            }
        }
        switch (type) {
            case "Composite" -> {
                String className = transcribed.path("className").asText(null);
                String packagedClass = packaged.path("className").asText(null);
                JsonNode mine = className == null ? transcribed : TRANSCRIBED.mapper(className);
                JsonNode theirs = packagedClass == null ? packaged : PACKAGED.mapper(packagedClass);
                properties(at, mine.path("properties"), theirs.path("properties"), differences);
            }
            case "Sequence" -> shape(at + "[]", transcribed.path("element"), packaged.path("element"), differences);
            case "Dictionary" -> shape(at + "{}", transcribed.path("value"), packaged.path("value"), differences);
            default -> {}
        }
    }

    private static TreeSet<String> texts(JsonNode array) {
        TreeSet<String> texts = new TreeSet<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }
}
