package io.paasbroker.broker.osb;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.paasbroker.broker.logging.LogContext;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.broker.support.OsbClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The broker's log as an operator reads it: every event, whatever the format; structured formats
 * ({@code logging.structured.format.console}) write each event's logging context as fields.
 */
class RequestLogIT extends BrokerIT {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void capture() {
        events.start();
        root.addAppender(events);
    }

    @AfterEach
    void release() {
        root.detachAppender(events);
    }

    @Test
    void aRefusedRequestIsOneInfoLineWithoutAStackTraceCarryingTheRequestAndTheInstance() {
        String missing = newId();

        int status = osb.with("X-Broker-API-Request-Identity", "request-404")
                .get(instancePath(missing))
                .status();

        assertThat(status).isEqualTo(404);
        List<ILoggingEvent> logged = List.copyOf(events.list);
        assertThat(logged).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
        assertThat(logged).allMatch(event -> event.getThrowableProxy() == null);
        List<ILoggingEvent> aboutIt = logged.stream()
                .filter(event -> "request-404".equals(event.getMDCPropertyMap().get(LogContext.REQUEST_IDENTITY)))
                .toList();
        assertThat(aboutIt).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getFormattedMessage()).contains("answered 404");
            assertThat(event.getMDCPropertyMap()).containsEntry(LogContext.INSTANCE, missing);
        });
    }

    @Test
    void malformedRequestsAreRefusedWithA4xxAndNoErrorOrStackTraceInTheLog() {
        String instance = newId();
        String badIdentity = "cloudfoundry " + java.util.Base64.getEncoder().encodeToString("[".getBytes());

        List<OsbClient.Response> responses = List.of(
                osb.delete(instancePath(instance) + "?plan_id=" + FAKE_PLAN),
                osb.with("Content-Type", "application/xml").put(instancePath(instance), fakeProvision("ok")),
                osb.put(instancePath(instance), java.util.Map.of("plan_id", FAKE_PLAN)),
                osb.with("X-Broker-API-Originating-Identity", badIdentity)
                        .put(instancePath(instance), fakeProvision("ok")));

        assertThat(responses).extracting(OsbClient.Response::status).containsExactly(400, 415, 400, 400);
        assertThat(responses)
                .allSatisfy(response -> assertThat(response.text("description"))
                        .as(response.toString())
                        .isNotBlank());
        List<ILoggingEvent> logged = List.copyOf(events.list);
        assertThat(logged).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
        assertThat(logged).allMatch(event -> event.getThrowableProxy() == null);
        assertThat(logged)
                .filteredOn(event -> event.getFormattedMessage().contains("answered 4"))
                .hasSize(4);
    }

    @Test
    void everyLineOfAnOperationCarriesItsOperationInstanceAndRequest() {
        String instance = newId();

        osb.with("X-Broker-API-Request-Identity", "request-provision").put(instancePath(instance), fakeProvision("ok"));

        List<ILoggingEvent> aboutIt = List.copyOf(events.list).stream()
                .filter(event -> event.getFormattedMessage().contains(instance))
                .toList();
        assertThat(aboutIt).isNotEmpty().allSatisfy(event -> {
            assertThat(event.getMDCPropertyMap())
                    .containsEntry(LogContext.INSTANCE, instance)
                    .containsEntry(LogContext.REQUEST_IDENTITY, "request-provision")
                    .containsKey(LogContext.OPERATION);
        });
    }
}
