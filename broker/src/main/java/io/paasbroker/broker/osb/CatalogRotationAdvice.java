package io.paasbroker.broker.osb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.broker.provisioning.PublishedCatalog;
import io.paasbroker.catalog.Plan;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.cloud.servicebroker.model.catalog.Catalog;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/** Adds OSB 2.17's {@code binding_rotatable} to the plans that have it: the framework's catalog model lacks it. */
@ControllerAdvice
public class CatalogRotationAdvice implements ResponseBodyAdvice<Object> {

    private final ObjectMapper json;
    private final Set<String> rotatablePlans;

    public CatalogRotationAdvice(ObjectMapper json, PublishedCatalog catalog) {
        this.json = json;
        this.rotatablePlans = catalog.catalog().services().stream()
                .flatMap(s -> s.plans().stream())
                .filter(Plan::bindingRotatable)
                .map(Plan::id)
                .collect(Collectors.toSet());
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
        if (!(body instanceof Catalog) || rotatablePlans.isEmpty()) {
            return body;
        }
        ObjectNode catalog = json.valueToTree(body);
        catalog.withArray("services")
                .forEach(service -> service.withArray("plans").forEach(plan -> {
                    if (rotatablePlans.contains(plan.get("id").asText())) {
                        ((ObjectNode) plan).put("binding_rotatable", true);
                    }
                }));
        return catalog;
    }
}
