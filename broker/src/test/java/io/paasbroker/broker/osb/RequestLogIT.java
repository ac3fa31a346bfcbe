package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.broker.support.BrokerIT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/** The broker's log as an operator reads it, here in its structured (JSON) form, one setting away. */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "logging.structured.format.console=ecs")
class RequestLogIT extends BrokerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRefusedRequestIsOneInfoLineWithoutAStackTraceCarryingTheRequestAndTheInstance(CapturedOutput output) {
        String missing = newId();

        int status = osb.with("X-Broker-API-Request-Identity", "request-404")
                .get(instancePath(missing))
                .status();

        assertThat(status).isEqualTo(404);
        List<JsonNode> lines = lines(output);
        assertThat(lines)
                .noneMatch(line -> "ERROR".equals(line.path("log").path("level").asText()));
        assertThat(output.getAll()).doesNotContain("\tat ", "Exception");
        List<JsonNode> aboutIt = lines.stream()
                .filter(line ->
                        "request-404".equals(line.path("request_identity").asText()))
                .toList();
        assertThat(aboutIt).singleElement().satisfies(line -> {
            assertThat(line.path("log").path("level").asText()).isEqualTo("INFO");
            assertThat(line.path("message").asText()).contains("answered 404");
            assertThat(line.path("instance_id").asText()).isEqualTo(missing);
        });
    }

    @Test
    void everyLineOfAnOperationCarriesItsOperationInstanceAndRequest(CapturedOutput output) {
        String instance = newId();

        osb.with("X-Broker-API-Request-Identity", "request-provision").put(instancePath(instance), fakeProvision("ok"));

        List<JsonNode> aboutIt = lines(output).stream()
                .filter(line -> line.path("message").asText().contains(instance))
                .toList();
        assertThat(aboutIt).isNotEmpty().allSatisfy(line -> {
            assertThat(line.path("instance_id").asText()).isEqualTo(instance);
            assertThat(line.path("operation_id").asText()).isNotBlank();
            assertThat(line.path("request_identity").asText()).isEqualTo("request-provision");
        });
    }

    private static List<JsonNode> lines(CapturedOutput output) {
        return output.getOut()
                .lines()
                .filter(line -> line.startsWith("{"))
                .map(line -> {
                    try {
                        return JSON.readTree(line);
                    } catch (IOException e) {
                        throw new UncheckedIOException(line, e);
                    }
                })
                .toList();
    }
}
