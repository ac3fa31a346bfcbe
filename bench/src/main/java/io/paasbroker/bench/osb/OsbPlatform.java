package io.paasbroker.bench.osb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls a broker the way a platform does: basic auth (when given), the OSB version header, JSON bodies, kept-alive
 * HTTP/1.1 connections. Each call is made and read in the calling thread ({@link HttpURLConnection}, whose
 * connections the JDK keeps alive for the next call), so the client adds as little as it can to what it measures: an
 * asynchronous client hands every request and answer between its threads, and on an idle two-core machine each
 * hand-over costs a thread wake-up that would count as the broker's time.
 */
public final class OsbPlatform {

    /** Idle connections the JDK keeps per broker: one per client thread (its default, 5, is fewer than c=32). */
    static {
        System.setProperty("http.maxConnections", "64");
    }

    private static final int TIMEOUT_MILLIS = 60_000;
    private static final Pattern BACKING = Pattern.compile("(?:^|,)\\s*backing;dur=([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(?:^|,)\\s*total;dur=([0-9.]+)");

    private final String baseUrl;
    private final String authorization;
    private final boolean reportsServerTiming;

    private OsbPlatform(String baseUrl, String authorization, boolean reportsServerTiming) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
        this.reportsServerTiming = reportsServerTiming;
    }

    /** The broker: basic auth, and a {@code Server-Timing} header on every answer. */
    public static OsbPlatform withBasicAuth(String baseUrl, String username, String password) {
        String token = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new OsbPlatform(baseUrl, "Basic " + token, true);
    }

    /** The bare framework app: no auth, and no backing service, so no {@code Server-Timing} header. */
    public static OsbPlatform withoutAuth(String baseUrl) {
        return new OsbPlatform(baseUrl, null, false);
    }

    /** Sends the request and returns the body, or throws when the status is not {@code expected}. */
    public String call(String method, String path, String jsonBody, int expected) {
        return send(method, path, jsonBody, expected).body();
    }

    /**
     * What the broker says of a request in its {@code Server-Timing} header, in nanoseconds: how long its backing
     * service took ({@code backing}) and how long the broker had the request ({@code total}, the backing time included).
     */
    public record ServerTiming(long backingNanos, long totalNanos) {}

    /**
     * Sends the request like {@link #call} and returns what the broker's {@code Server-Timing} header says; zero for the
     * bare app.
     */
    public ServerTiming callForServerTiming(String method, String path, String jsonBody, int expected) {
        String timing = send(method, path, jsonBody, expected).serverTiming();
        if (!reportsServerTiming) {
            return new ServerTiming(0, 0); // the bare app: no backing work, and nothing reported of its own
        }
        if (timing == null) {
            throw new IllegalStateException(
                    method + " " + path + ": the broker sent no Server-Timing header (an older broker jar?)");
        }
        return new ServerTiming(nanos(BACKING, timing, method, path), nanos(TOTAL, timing, method, path));
    }

    private static long nanos(Pattern metric, String timing, String method, String path) {
        Matcher duration = metric.matcher(timing);
        if (!duration.find()) {
            throw new IllegalStateException(method + " " + path + ": no " + metric.pattern()
                    + " in Server-Timing (an older broker jar?): " + timing);
        }
        return Math.round(Double.parseDouble(duration.group(1)) * 1e6);
    }

    private record Response(String body, String serverTiming) {}

    private Response send(String method, String path, String jsonBody, int expected) {
        try {
            HttpURLConnection http =
                    (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
            http.setRequestMethod(method);
            http.setConnectTimeout(5_000);
            http.setReadTimeout(TIMEOUT_MILLIS);
            http.setRequestProperty("X-Broker-API-Version", "2.17");
            if (authorization != null) {
                http.setRequestProperty("Authorization", authorization);
            }
            if (jsonBody != null) {
                byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
                http.setRequestProperty("Content-Type", "application/json");
                http.setDoOutput(true);
                http.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = http.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = http.getResponseCode();
            String answer;
            // read to the end and close: the connection goes back to be kept alive
            try (InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
                answer = in == null ? "" : readAll(in);
            }
            if (status != expected) {
                throw new UnexpectedResponseException(method, path, status, answer);
            }
            return new Response(answer, http.getHeaderField("Server-Timing"));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    public String catalog() {
        return call("GET", "/v2/catalog", null, 200);
    }
}
