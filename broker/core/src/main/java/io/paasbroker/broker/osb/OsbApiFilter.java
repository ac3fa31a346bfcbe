package io.paasbroker.broker.osb;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.filter.OncePerRequestFilter;

/** A filter of the OSB API's requests alone: those under {@code /v2}, with a platform instance prefix or not. */
abstract class OsbApiFilter extends OncePerRequestFilter {

    @Override
    protected final boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.startsWith("/v2/") || path.contains("/v2/") || path.equals("/v2"));
    }
}
