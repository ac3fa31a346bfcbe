package io.paasbroker.broker.osb;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.paasbroker.broker.credentials.CredentialStoreException;
import io.paasbroker.provisioner.InvalidParametersException;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.servicebroker.exception.ServiceBrokerInvalidOriginatingIdentityException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The errors the framework's own table gets wrong or does not know. Everything else stays with Spring Cloud Open
 * Service Broker's handler, so this advice deliberately has no catch-all.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class OsbErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(OsbErrorAdvice.class);
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE_CASE =
            new PropertyNamingStrategies.SnakeCaseStrategy();

    @ExceptionHandler(BadRequestException.class)
    ResponseEntity<Map<String, String>> badRequest(BadRequestException e) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(InvalidParametersException.class)
    ResponseEntity<Map<String, String>> invalidParameters(InvalidParametersException e) {
        return error(HttpStatus.BAD_REQUEST, "invalid parameters: " + e.getMessage());
    }

    @ExceptionHandler(UnprocessableException.class)
    ResponseEntity<Map<String, String>> unprocessable(UnprocessableException e) {
        return error(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(NotFoundException e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(OperationFailedException.class)
    ResponseEntity<Map<String, String>> operationFailed(OperationFailedException e) {
        return error(HttpStatus.BAD_GATEWAY, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        String detail = e.getMostSpecificCause().getMessage();
        String firstLine = detail == null ? "" : detail.lines().findFirst().orElse("");
        return error(HttpStatus.BAD_REQUEST, "the request body is not valid JSON of the expected shape: " + firstLine);
    }

    /*
     * The framework answers the next four right or nearly, but logs each as an ERROR with a stack trace: a request the
     * platform got wrong is logged in one line by the request log instead.
     */

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, String>> missingParameter(MissingServletRequestParameterException e) {
        return error(HttpStatus.BAD_REQUEST, "query parameter " + e.getParameterName() + " is required");
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Map<String, String>> invalidBody(MethodArgumentNotValidException e) {
        String fields = e.getFieldErrors().stream()
                .map(error -> jsonName(error.getField()) + " " + error.getDefaultMessage())
                .collect(Collectors.joining("; "));
        return error(HttpStatus.BAD_REQUEST, "the request body is incomplete: " + fields);
    }

    /** The OSB name of a field of the framework's request objects. */
    private static String jsonName(String field) {
        return field.equals("serviceDefinitionId") ? "service_id" : SNAKE_CASE.translate(field);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, String>> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send the request body as application/json");
    }

    @ExceptionHandler(ServiceBrokerInvalidOriginatingIdentityException.class)
    ResponseEntity<Map<String, String>> invalidOriginatingIdentity(ServiceBrokerInvalidOriginatingIdentityException e) {
        return error(
                HttpStatus.BAD_REQUEST,
                "X-Broker-API-Originating-Identity must be a platform name and base64-encoded JSON object");
    }

    @ExceptionHandler({CredentialStoreException.class, DataAccessException.class})
    ResponseEntity<Map<String, String>> storeUnavailable(RuntimeException e) {
        log.warn("A request failed because a store of the broker is unavailable: {}", e.getMessage());
        return error(
                HttpStatus.SERVICE_UNAVAILABLE,
                "the broker's state or credential store is unavailable; nothing was changed, retry later");
    }

    static ResponseEntity<Map<String, String>> error(HttpStatus status, String description) {
        return ResponseEntity.status(status).body(Map.of("description", description));
    }
}
