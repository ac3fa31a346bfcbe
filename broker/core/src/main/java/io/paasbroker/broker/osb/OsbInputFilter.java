package io.paasbroker.broker.osb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * Refuses, before any of it is read into the broker's state, what no OSB request may carry: a body over the size
 * limit (413), an id, guid or operation with a control or invisible formatting character (they spoof log lines and
 * names), an id in the path longer than the state store keeps, a NUL anywhere (the state store cannot keep one), or
 * an {@code accepts_incomplete} that is no boolean. Such a request is the platform's mistake: 400, never a 5xx it
 * would retry.
 */
public class OsbInputFilter extends OsbApiFilter {

    /** Query parameters and body fields that hold ids, guids or names the broker keeps and logs. */
    private static final Set<String> IDENTIFIERS = Set.of(
            "service_id",
            "plan_id",
            "operation",
            "organization_guid",
            "space_guid",
            "app_guid",
            "route",
            "predecessor_binding_id",
            "namespace",
            "clusterid",
            "instance_name",
            "platform");

    /** The width of the state store's id columns: an instance or binding id longer than this cannot be kept. */
    static final int MAX_ID_LENGTH = 255;

    private final long maxBodyBytes;
    private final ObjectMapper json;

    public OsbInputFilter(long maxBodyBytes, ObjectMapper json) {
        this.maxBodyBytes = maxBodyBytes;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            OsbErrors.write(response, HttpStatus.PAYLOAD_TOO_LARGE, tooLarge());
            return;
        }
        Optional<String> refusal = refusalOfPathAndQuery(request);
        if (refusal.isPresent()) {
            OsbErrors.write(response, HttpStatus.BAD_REQUEST, refusal.get());
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        if (body.length > maxBodyBytes) {
            OsbErrors.write(response, HttpStatus.PAYLOAD_TOO_LARGE, tooLarge());
            return;
        }
        refusal = refusalOfBody(body);
        if (refusal.isPresent()) {
            OsbErrors.write(response, HttpStatus.BAD_REQUEST, refusal.get());
            return;
        }
        chain.doFilter(new ReadBody(request, body), response);
    }

    private String tooLarge() {
        return "the request body is larger than the broker takes (" + maxBodyBytes + " bytes)";
    }

    private static Optional<String> refusalOfPathAndQuery(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (String segment : path.split("/")) {
            String id = decoded(segment);
            if (!printable(id)) {
                return Optional.of("the path holds a control or invisible formatting character");
            }
            if (id.length() > MAX_ID_LENGTH) {
                return Optional.of("an id in the path is longer than " + MAX_ID_LENGTH + " characters");
            }
        }
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            for (String value : parameter.getValue()) {
                if (!printable(parameter.getKey()) || !printable(value)) {
                    return Optional.of("query parameter " + shown(parameter.getKey())
                            + " holds a control or invisible formatting character");
                }
            }
        }
        String originatingIdentity = request.getHeader("X-Broker-API-Originating-Identity");
        if (originatingIdentity != null && !originatingIdentityKeepable(originatingIdentity)) {
            return Optional.of("X-Broker-API-Originating-Identity holds a control or invisible formatting character");
        }
        String acceptsIncomplete = request.getParameter("accepts_incomplete");
        if (acceptsIncomplete != null && !Set.of("true", "false").contains(acceptsIncomplete)) {
            return Optional.of("accepts_incomplete must be true or false, not " + shown(acceptsIncomplete));
        }
        return Optional.empty();
    }

    /** A percent-encoded path segment decoded; as it is when its encoding is broken (the server refuses it then). */
    static String decoded(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }

    /**
     * The header is a platform name and base64 JSON: the platform must be printable, the JSON free of NUL. A value of
     * another shape is the framework's to refuse.
     */
    private static boolean originatingIdentityKeepable(String header) {
        String[] parts = header.trim().split(" ", 2);
        if (!printable(parts[0])) {
            return false;
        }
        if (parts.length < 2) {
            return true;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(parts[1].trim()), StandardCharsets.UTF_8);
            return decoded.indexOf('\0') < 0 && !decoded.contains("\\u0000");
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** Bodies that are no JSON are left to the controllers, which answer them 400 in their own words. */
    private Optional<String> refusalOfBody(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("the request body is not valid JSON");
        }
        return tree == null ? Optional.empty() : refusalOf(tree, "");
    }

    private static Optional<String> refusalOf(JsonNode node, String where) {
        if (node.isTextual()) {
            String text = node.textValue();
            if (text.indexOf('\0') >= 0) {
                return Optional.of(where + " holds a NUL character");
            }
            String field = where.substring(where.lastIndexOf('.') + 1);
            if (IDENTIFIERS.contains(field) && !printable(text)) {
                return Optional.of(where + " holds a control or invisible formatting character");
            }
            return Optional.empty();
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> refusal = refusalOf(node.get(i), where + "[" + i + "]");
                if (refusal.isPresent()) {
                    return refusal;
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().indexOf('\0') >= 0) {
                return Optional.of("a field name holds a NUL character");
            }
            Optional<String> refusal =
                    refusalOf(field.getValue(), where.isEmpty() ? field.getKey() : where + "." + field.getKey());
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    /**
     * No control character (C0, DEL, C1), no invisible formatting one (bidirectional overrides and isolates, zero-width
     * characters), no line or paragraph separator, no lone surrogate.
     */
    static boolean printable(String value) {
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL
                    || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SURROGATE) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /** A name or value as it may be echoed: its first 64 printable characters. */
    private static String shown(String name) {
        StringBuilder shown = new StringBuilder();
        name.codePoints()
                .filter(c -> printable(Character.toString(c)))
                .limit(64)
                .forEach(shown::appendCodePoint);
        return "'" + shown + "'";
    }

    /** The request with its body, read once here, served again to the controllers. */
    private static final class ReadBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] bytes, int offset, int length) throws IOException {
                    return in.read(bytes, offset, length);
                }

                @Override
                public boolean isFinished() {
                    try {
                        return in.available() == 0;
                    } catch (IOException e) {
                        return true;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body was read already");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
