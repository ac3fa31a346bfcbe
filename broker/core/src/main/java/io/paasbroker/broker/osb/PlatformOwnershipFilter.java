package io.paasbroker.broker.osb;

import io.paasbroker.broker.state.InstanceRepository;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Where several platforms share the broker, an instance and its bindings belong to the platform account that created
 * the instance: another platform is answered as for an id nobody used (404 on reads, 410 on deletes, 422 on an update
 * or a bind, 409 on a provision of the id), for the instance, its bindings, operations and backups alike, so it can
 * neither read their credentials, change nor delete them, nor learn that they exist beyond the id being taken. With one platform account configured, nothing is looked up.
 */
public class PlatformOwnershipFilter extends OsbApiFilter {

    /** An instance's id, and what under it the request is for: its bindings, operations, backups. */
    private static final Pattern INSTANCE_PATH = Pattern.compile("/v2/service_instances/([^/?]+)(/[^?]*)?$");

    private final InstanceRepository instances;

    public PlatformOwnershipFilter(InstanceRepository instances) {
        this.instances = instances;
    }

    /** The platform account of the request this thread serves; null outside an authenticated request. */
    static String callingAccount() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || !authentication.isAuthenticated() ? null : authentication.getName();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Matcher path = INSTANCE_PATH.matcher(request.getRequestURI());
        String caller = callingAccount();
        if (caller == null || !path.find()) {
            chain.doFilter(request, response);
            return;
        }
        String instanceId = OsbInputFilter.decoded(path.group(1));
        Optional<String> owner = instances.platformAccount(instanceId);
        if (owner.isEmpty() || owner.get().equals(caller)) {
            chain.doFilter(request, response);
            return;
        }
        String under = path.group(2) == null ? "" : path.group(2);
        answerAsUnknown(
                request.getMethod(),
                under.startsWith("/service_bindings/"),
                under.endsWith("/last_operation"),
                instanceId,
                response);
    }

    /** What the broker answers for an instance id nobody used. */
    private static void answerAsUnknown(
            String method, boolean binding, boolean lastOperation, String instanceId, HttpServletResponse response)
            throws IOException {
        String unknown = "service instance " + instanceId + " does not exist";
        if (lastOperation || method.equals("GET")) {
            OsbErrors.write(response, HttpStatus.NOT_FOUND, unknown);
        } else if (method.equals("DELETE")) {
            response.setStatus(HttpStatus.GONE.value());
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getWriter().write("{}");
        } else if (method.equals("PUT") && !binding) {
            OsbErrors.write(response, HttpStatus.CONFLICT, "service instance " + instanceId + " exists already");
        } else {
            OsbErrors.write(response, HttpStatus.UNPROCESSABLE_ENTITY, unknown);
        }
    }
}
