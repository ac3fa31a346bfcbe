package io.paasbroker.broker.osb;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** An OSB error body written by a filter, before any controller: {@code {"description": ...}}. */
public final class OsbErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OsbErrors() {}

    public static void write(HttpServletResponse response, HttpStatus status, String description) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        JSON.writeValue(response.getOutputStream(), Map.of("description", description));
    }
}
