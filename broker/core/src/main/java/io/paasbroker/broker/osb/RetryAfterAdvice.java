package io.paasbroker.broker.osb;

import io.paasbroker.broker.settings.BrokerProperties;
import java.time.Duration;
import org.springframework.cloud.servicebroker.model.binding.GetLastServiceBindingOperationResponse;
import org.springframework.cloud.servicebroker.model.instance.GetLastServiceOperationResponse;
import org.springframework.cloud.servicebroker.model.instance.OperationState;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/** Tells a polling platform when to ask again while an operation is in progress (Cloud Foundry honours it). */
@ControllerAdvice
public class RetryAfterAdvice implements ResponseBodyAdvice<Object> {

    private final Duration retryAfter;

    public RetryAfterAdvice(BrokerProperties properties) {
        this.retryAfter = properties.operations().retryAfter();
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(
            Object body,
            MethodParameter returnType,
            MediaType selectedContentType,
            Class<? extends HttpMessageConverter<?>> selectedConverterType,
            ServerHttpRequest request,
            ServerHttpResponse response) {
        boolean inProgress = (body instanceof GetLastServiceOperationResponse instance
                        && instance.getState() == OperationState.IN_PROGRESS)
                || (body instanceof GetLastServiceBindingOperationResponse binding
                        && binding.getState() == OperationState.IN_PROGRESS);
        if (inProgress) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter.toSeconds())));
        }
        return body;
    }
}
