package io.paasbroker.aws.testbed.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON-protocol gate (Secrets Manager) on requests written as the SDK writes them and on requests that break the
 * model; the requests of the unmodified client pass it in the fake's own suites ({@code FakeRdsIT}).
 */
class JsonConformanceTest {

    private static final JsonConformance GATE = new JsonConformance(
            ServiceModel.load("secretsmanager", "2017-10-17"), FullModel.load("secretsmanager", "2017-10-17"));

    @Test
    void aWellFormedRequestNamesItsOperationByItsTargetAndPasses() {
        HttpRequest request = request("secretsmanager.GetSecretValue", "{\"SecretId\":\"rds!db-1\"}");

        assertThat(GATE.operationOf(request)).contains("GetSecretValue");
        assertThat(GATE.check(request)).isEmpty();
        assertThat(GATE.errorCodes("GetSecretValue")).contains("ResourceNotFoundException", "DecryptionFailure");
    }

    @Test
    void aMissingRequiredMemberAnUnknownOneAndAnOverlongValueAreRefused() {
        assertThat(GATE.check(request("secretsmanager.GetSecretValue", "{}")))
                .containsExactly("GetSecretValue.SecretId is required");
        assertThat(GATE.check(request("secretsmanager.GetSecretValue", "{\"SecretId\":\"a\",\"Secret\":\"b\"}")))
                .singleElement()
                .asString()
                .contains("Secret", "no member");
        assertThat(GATE.check(request("secretsmanager.GetSecretValue", "{\"SecretId\":\"" + "a".repeat(2049) + "\"}")))
                .singleElement()
                .asString()
                .contains("GetSecretValue.SecretId", "2048");
    }

    @Test
    void aRequestOutsideTheProtocolIsRefused() {
        assertThat(GATE.operationOf(request("secretsmanager.PutEverything", "{}")))
                .isEmpty();
        assertThat(GATE.check(request("rds.GetSecretValue", "{}")))
                .singleElement()
                .asString()
                .contains("no operation");
        HttpRequest asGet = new HttpRequest(
                "GET",
                "/",
                Map.of(),
                Map.of(
                        "x-amz-target", List.of("secretsmanager.GetSecretValue"),
                        "content-type", List.of("application/json")),
                "{\"SecretId\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(GATE.check(asGet))
                .containsExactly(
                        "GetSecretValue: sent as GET /, not POST / with no query",
                        "GetSecretValue: content type application/json, not application/x-amz-json-1.1");
    }

    private static HttpRequest request(String target, String body) {
        return new HttpRequest(
                "POST",
                "/",
                Map.of(),
                Map.of("x-amz-target", List.of(target), "content-type", List.of("application/x-amz-json-1.1")),
                body.getBytes(StandardCharsets.UTF_8));
    }
}
