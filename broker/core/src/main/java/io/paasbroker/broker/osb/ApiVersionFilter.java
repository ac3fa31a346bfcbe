package io.paasbroker.broker.osb;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * Accepts any OSB 2.x version up to the one this broker speaks: minor versions only add, so a 2.17 broker serves
 * Cloud Foundry (2.15) and Kubernetes (2.13, 2.14) alike. Missing header: 400; anything else: 412.
 */
public class ApiVersionFilter extends OsbApiFilter {

    public static final String HEADER = "X-Broker-API-Version";
    public static final int SUPPORTED_MINOR = 17;

    private static final Pattern VERSION = Pattern.compile("2\\.(\\d{1,3})");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String version = request.getHeader(HEADER);
        if (version == null || version.isBlank()) {
            OsbErrors.write(
                    response,
                    HttpStatus.BAD_REQUEST,
                    "the " + HEADER + " header is required (this broker speaks 2.0 to 2." + SUPPORTED_MINOR + ")");
            return;
        }
        Matcher matcher = VERSION.matcher(version.trim());
        if (!matcher.matches() || Integer.parseInt(matcher.group(1)) > SUPPORTED_MINOR) {
            OsbErrors.write(
                    response,
                    HttpStatus.PRECONDITION_FAILED,
                    "OSB API version " + version.trim() + " is not supported; this broker speaks 2.0 to 2."
                            + SUPPORTED_MINOR);
            return;
        }
        chain.doFilter(request, response);
    }
}
