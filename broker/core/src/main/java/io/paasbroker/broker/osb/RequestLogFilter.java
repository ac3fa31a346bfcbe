package io.paasbroker.broker.osb;

import io.paasbroker.broker.logging.LogContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the request's identity and the instance and binding it names into the logging context of the request, and
 * logs a refused request in one line: a 4xx at INFO (the client's mistake, no stack trace), a 5xx at WARN. The path
 * is logged as sent, percent-encoded, so no character in it can forge a line.
 */
public class RequestLogFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestLogFilter.class);
    private static final Pattern IDS =
            Pattern.compile("/v2/service_instances/([^/?]{1,255})(?:/service_bindings/([^/?]{1,255}))?");
    private static final int MAX_LOGGED = 255;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        Map<String, String> context = new HashMap<>();
        String identity = request.getHeader(RequestIdentityFilter.HEADER);
        if (identity != null && OsbInputFilter.printable(identity)) {
            context.put(LogContext.REQUEST_IDENTITY, clipped(identity));
        }
        Matcher ids = IDS.matcher(path);
        if (ids.find()) {
            context.put(LogContext.INSTANCE, ids.group(1));
            context.put(LogContext.BINDING, ids.group(2));
        }
        try (LogContext ignored = LogContext.with(context)) {
            chain.doFilter(request, response);
            int status = response.getStatus();
            if (status >= 500) {
                log.warn("{} {} answered {}", request.getMethod(), clipped(path), status);
            } else if (status >= 400) {
                log.info("{} {} answered {}", request.getMethod(), clipped(path), status);
            }
        }
    }

    private static String clipped(String value) {
        return value.length() <= MAX_LOGGED ? value : value.substring(0, MAX_LOGGED) + "...";
    }
}
