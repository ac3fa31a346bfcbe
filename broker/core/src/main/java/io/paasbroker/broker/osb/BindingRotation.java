package io.paasbroker.broker.osb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.Optional;
import org.springframework.cloud.servicebroker.model.binding.CreateServiceInstanceBindingRequest;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Reads OSB 2.17's {@code predecessor_binding_id} from a bind request's body: the framework's request model has no
 * such field, so the id is kept as a request attribute for {@link BindingService}.
 */
@ControllerAdvice
public class BindingRotation extends RequestBodyAdviceAdapter {

    private static final String ATTRIBUTE = BindingRotation.class.getName() + ".predecessor";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public boolean supports(
            MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return targetType == CreateServiceInstanceBindingRequest.class;
    }

    @Override
    public HttpInputMessage beforeBodyRead(
            HttpInputMessage input,
            MethodParameter parameter,
            Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType)
            throws IOException {
        byte[] body = input.getBody().readAllBytes();
        try {
            JsonNode predecessor = JSON.readTree(body).get("predecessor_binding_id");
            if (predecessor != null && predecessor.isTextual()) {
                RequestContextHolder.currentRequestAttributes()
                        .setAttribute(ATTRIBUTE, predecessor.asText(), RequestAttributes.SCOPE_REQUEST);
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the framework's own reading of the body reports it
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return input.getHeaders();
            }
        };
    }

    /** The binding the request rotates, when it is a rotation. */
    static Optional<String> predecessor() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes == null
                ? Optional.empty()
                : Optional.ofNullable((String) attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST));
    }
}
