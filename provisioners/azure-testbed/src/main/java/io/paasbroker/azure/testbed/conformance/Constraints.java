package io.paasbroker.azure.testbed.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The constraints a mapper or a parameter of Azure's specifications puts on one value, as the generated clients check
 * them before sending: a string's {@code Pattern} (found anywhere, as JavaScript's {@code RegExp.test} does, unless
 * anchored), {@code MinLength} and {@code MaxLength}; a number's {@code InclusiveMinimum}, {@code InclusiveMaximum},
 * {@code ExclusiveMinimum}, {@code ExclusiveMaximum} and {@code MultipleOf}; an array's {@code MinItems},
 * {@code MaxItems} and {@code UniqueItems}. A constraint of another JSON type than the value's checks nothing.
 */
final class Constraints {

    /** A pattern Java cannot read is in JavaScript's dialect, not the request's fault: it checks nothing. */
    private static final Pattern UNREADABLE = Pattern.compile("");

    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private Constraints() {}

    static void check(String path, JsonNode constraints, JsonNode value, List<String> violations) {
        if (constraints == null || constraints.isMissingNode() || constraints.isEmpty()) {
            return;
        }
        if (value.isTextual()) {
            text(path, constraints, value.textValue(), violations);
        } else if (value.isNumber()) {
            number(path, constraints, value.decimalValue(), violations);
        } else if (value.isArray()) {
            items(path, constraints, value, violations);
        }
    }

    private static void text(String path, JsonNode constraints, String text, List<String> violations) {
        if (constraints.has("Pattern") && !matches(constraints.get("Pattern").asText(), text)) {
            violations.add(path + ": '" + text + "' does not match the pattern "
                    + constraints.get("Pattern").asText());
        }
        int length = text.codePointCount(0, text.length());
        if (constraints.has("MinLength")
                && length < constraints.get("MinLength").asInt()) {
            violations.add(path + ": length " + length + " is below MinLength " + constraints.get("MinLength"));
        }
        if (constraints.has("MaxLength")
                && length > constraints.get("MaxLength").asInt()) {
            violations.add(path + ": length " + length + " is above MaxLength " + constraints.get("MaxLength"));
        }
    }

    private static void number(String path, JsonNode constraints, BigDecimal number, List<String> violations) {
        bound(path, number, constraints, "InclusiveMinimum", comparison -> comparison >= 0, violations);
        bound(path, number, constraints, "InclusiveMaximum", comparison -> comparison <= 0, violations);
        bound(path, number, constraints, "ExclusiveMinimum", comparison -> comparison > 0, violations);
        bound(path, number, constraints, "ExclusiveMaximum", comparison -> comparison < 0, violations);
        if (constraints.has("MultipleOf")) {
            BigDecimal divisor = constraints.get("MultipleOf").decimalValue();
            if (divisor.signum() != 0 && number.remainder(divisor).signum() != 0) {
                violations.add(path + ": " + number.toPlainString() + " is no multiple of " + divisor.toPlainString());
            }
        }
    }

    private static void bound(
            String path,
            BigDecimal number,
            JsonNode constraints,
            String name,
            IntPredicate keeps,
            List<String> violations) {
        JsonNode bound = constraints.get(name);
        if (bound != null && !keeps.test(number.compareTo(bound.decimalValue()))) {
            violations.add(path + ": " + number.toPlainString() + " is outside " + name + " " + bound.asText());
        }
    }

    private static void items(String path, JsonNode constraints, JsonNode array, List<String> violations) {
        if (constraints.has("MinItems")
                && array.size() < constraints.get("MinItems").asInt()) {
            violations.add(path + ": " + array.size() + " items, below MinItems " + constraints.get("MinItems"));
        }
        if (constraints.has("MaxItems")
                && array.size() > constraints.get("MaxItems").asInt()) {
            violations.add(path + ": " + array.size() + " items, above MaxItems " + constraints.get("MaxItems"));
        }
        if (constraints.path("UniqueItems").asBoolean(false)) {
            Set<JsonNode> seen = new HashSet<>();
            array.forEach(item -> {
                if (!seen.add(item)) {
                    violations.add(path + ": " + item + " twice, where UniqueItems is set");
                }
            });
        }
    }

    private static boolean matches(String pattern, String text) {
        Pattern compiled = PATTERNS.computeIfAbsent(pattern, source -> {
            try {
                return Pattern.compile(source);
            } catch (PatternSyntaxException e) {
                return UNREADABLE;
            }
        });
        return compiled == UNREADABLE || compiled.matcher(text).find();
    }
}
