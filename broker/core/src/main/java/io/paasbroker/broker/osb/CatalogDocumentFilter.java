package io.paasbroker.broker.osb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.catalog.Plan;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.cloud.servicebroker.model.catalog.Catalog;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code GET /v2/catalog} (also under a platform instance prefix) with the catalog serialized once at
 * start-up: the catalog cannot change while the broker runs, and platforms fetch it often. Registered after the
 * security and API-version filters, so callers are authenticated and their version checked as for any OSB call.
 * The document adds OSB 2.17's {@code binding_rotatable} to the plans that have it, which the framework's model lacks.
 */
public class CatalogDocumentFilter extends OncePerRequestFilter {

    private static final Pattern CATALOG_PATH = Pattern.compile("(/[^/]+)?/v2/catalog/?");

    private final byte[] document;

    public CatalogDocumentFilter(ObjectMapper json, Catalog catalog, Collection<Plan> plans) {
        this.document = serialize(json, catalog, plans);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod())
                || !CATALOG_PATH
                        .matcher(request.getRequestURI()
                                .substring(request.getContextPath().length()))
                        .matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(document.length);
        response.getOutputStream().write(document);
    }

    private static byte[] serialize(ObjectMapper json, Catalog catalog, Collection<Plan> plans) {
        Set<String> rotatable =
                plans.stream().filter(Plan::bindingRotatable).map(Plan::id).collect(Collectors.toSet());
        ObjectNode tree = json.valueToTree(catalog);
        tree.withArray("services")
                .forEach(service -> service.withArray("plans").forEach(plan -> {
                    if (rotatable.contains(plan.get("id").asText())) {
                        ((ObjectNode) plan).put("binding_rotatable", true);
                    }
                }));
        try {
            return json.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the catalog cannot be written as JSON", e);
        }
    }
}
