package io.paasbroker.broker.osb;

import io.paasbroker.broker.operations.BackingTime;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tells the caller, in a standard {@code Server-Timing} header, how much of an OSB request's time the backing service
 * took ({@code backing;dur=<ms>}): the provisioner calls a synchronous request made. Whatever else the caller waited
 * was the network and the broker itself.
 */
public class ServerTimingFilter extends OncePerRequestFilter {

    public static final String HEADER = "Server-Timing";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().contains("/v2/service_instances/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        BackingTime.beginRequest();
        long nanos;
        try {
            chain.doFilter(request, response);
        } finally {
            nanos = BackingTime.endRequest();
        }
        // the framework answers asynchronously: the body is written in a later dispatch, so headers can still be set
        if (!response.isCommitted()) {
            response.setHeader(HEADER, String.format(Locale.ROOT, "backing;dur=%.3f", nanos / 1e6));
        }
    }
}
