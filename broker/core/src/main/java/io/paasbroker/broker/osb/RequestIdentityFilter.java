package io.paasbroker.broker.osb;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/** Echoes X-Broker-API-Request-Identity on every response, errors and refusals included, for the platform's logs. */
public class RequestIdentityFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Broker-API-Request-Identity";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String identity = request.getHeader(HEADER);
        if (identity != null && identity.length() <= 256) {
            response.setHeader(HEADER, identity);
        }
        chain.doFilter(request, response);
    }
}
