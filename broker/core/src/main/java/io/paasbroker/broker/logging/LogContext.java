package io.paasbroker.broker.logging;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The ids a log line concerns, in the logging context of the thread that works on them: structured logs
 * ({@code logging.structured.format.console}) carry them as fields of every line, so an operator finds all lines of
 * one request, instance, binding or operation.
 */
public final class LogContext implements AutoCloseable {

    public static final String REQUEST_IDENTITY = "request_identity";
    public static final String INSTANCE = "instance_id";
    public static final String BINDING = "binding_id";
    public static final String OPERATION = "operation_id";

    /** What the keys held before, null where they held nothing. */
    private final Map<String, String> previous;

    private LogContext(Map<String, String> previous) {
        this.previous = previous;
    }

    /** Puts the values that are not null under their keys until closed, when the keys get back what they held. */
    public static LogContext with(Map<String, String> values) {
        Map<String, String> previous = new HashMap<>();
        values.forEach((key, value) -> {
            if (value != null) {
                previous.put(key, MDC.get(key));
                MDC.put(key, value);
            }
        });
        return new LogContext(previous);
    }

    /** The context of an operation's work. */
    public static LogContext ofOperation(String operationId, String instanceId, String bindingId) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(OPERATION, operationId);
        values.put(INSTANCE, instanceId);
        values.put(BINDING, bindingId);
        return with(values);
    }

    @Override
    public void close() {
        previous.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}
