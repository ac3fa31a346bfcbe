package io.paasbroker.aws.testbed.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks of one scalar value of a request, whatever carries it (a Query parameter, a REST path label, query
 * parameter or header, an XML element, the text of a JSON value): it parses as its member's type (an integer within
 * 32 bits, a long within 64), and keeps the full model's enum, length or range, and pattern.
 */
final class ScalarChecks {

    private ScalarChecks() {}

    /** Whether {@code value} parses as {@code type} and keeps the full model's constraints of its member. */
    static void check(String path, String type, JsonNode constraints, String value, List<String> violations) {
        boolean parses = switch (type) {
            case "integer" -> isWholeNumberWithin(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case "long" -> isWholeNumberWithin(value, Long.MIN_VALUE, Long.MAX_VALUE);
            case "float", "double" -> value.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
            case "boolean" -> value.equals("true") || value.equals("false");
            case "timestamp" -> isTimestamp(value);
            case "blob" -> isBase64(value);
            default -> true;
        };
        if (!parses) {
            violations.add(path + ": '" + value + "' is no " + type);
            return;
        }
        constrained(path, type, constraints, value, violations);
    }

    /** The full model's enum, length or range, and pattern of one value. */
    private static void constrained(
            String path, String type, JsonNode constraints, String value, List<String> violations) {
        JsonNode allowed = constraints.path("enum");
        if (allowed.isArray() && !allowed.isEmpty()) {
            List<String> values = new ArrayList<>();
            allowed.forEach(v -> values.add(v.asText()));
            if (!values.contains(value)) {
                violations.add(path + ": '" + value + "' is not among " + values);
            }
        }
        boolean numeric = type.equals("integer") || type.equals("long");
        double measure = numeric ? Double.parseDouble(value) : value.length();
        String what = numeric ? "value" : "length";
        if (constraints.has("min") && measure < constraints.get("min").asDouble()) {
            violations.add(path + ": " + what + " below the model's minimum "
                    + constraints.get("min").asText());
        }
        if (constraints.has("max") && measure > constraints.get("max").asDouble()) {
            violations.add(path + ": " + what + " above the model's maximum "
                    + constraints.get("max").asText());
        }
        if (constraints.has("pattern") && !matches(constraints.get("pattern").asText(), value)) {
            violations.add(path + ": does not match the model's pattern "
                    + constraints.get("pattern").asText());
        }
    }

    /** A pattern Java cannot read is in the model's dialect, not the request's fault: it checks nothing. */
    private static boolean matches(String pattern, String value) {
        try {
            return Pattern.compile(pattern).matcher(value).find();
        } catch (PatternSyntaxException e) {
            return true;
        }
    }

    private static boolean isWholeNumberWithin(String value, long min, long max) {
        if (!value.matches("-?\\d+")) {
            return false;
        }
        try {
            long number = Long.parseLong(value);
            return number >= min && number <= max;
        } catch (NumberFormatException e) {
            return false; // beyond a long
        }
    }

    private static boolean isTimestamp(String value) {
        try {
            Instant.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isBase64(String value) {
        try {
            Base64.getDecoder().decode(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
