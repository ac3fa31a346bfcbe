package io.paasbroker.broker.osb;

import io.paasbroker.broker.operations.BackingTime;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tells the caller, in a standard {@code Server-Timing} header, how much of an OSB request's time the backing service
 * took ({@code backing;dur=<ms>}: the provisioner calls a synchronous request made) and how long the broker had the
 * request ({@code total;dur=<ms>}: from this filter, ahead of authentication, to the start of the answer; the backing
 * time is part of it). The rest of what the caller waited was its own HTTP stack and the network. The header is set
 * when the body starts, once the request's work is done.
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
        TimedResponse timed = new TimedResponse(response, System.nanoTime());
        try {
            chain.doFilter(request, timed);
        } finally {
            timed.setTiming(); // an answer without a body
            BackingTime.endRequest();
        }
    }

    private static final class TimedResponse extends HttpServletResponseWrapper {

        private final long startNanos;

        TimedResponse(HttpServletResponse response, long startNanos) {
            super(response);
            this.startNanos = startNanos;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            setTiming();
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            setTiming();
            return super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            setTiming();
            super.flushBuffer();
        }

        void setTiming() {
            if (!isCommitted() && !containsHeader(HEADER)) {
                setHeader(
                        HEADER,
                        String.format(
                                Locale.ROOT,
                                "backing;dur=%.3f, total;dur=%.3f",
                                BackingTime.soFar() / 1e6,
                                (System.nanoTime() - startNanos) / 1e6));
            }
        }
    }
}
