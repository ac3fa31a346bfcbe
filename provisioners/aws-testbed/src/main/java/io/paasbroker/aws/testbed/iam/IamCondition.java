package io.paasbroker.aws.testbed.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * One test of a statement's {@code Condition}: an operator, a condition key, the values it is compared with. The
 * operators read are the string and boolean ones and their {@code IfExists} forms; a key the request does not bring
 * fails the test, except with {@code IfExists} (and for the negated operators, as IAM has it). Values of one key are
 * alternatives (any may match; for a negated operator, none may), keys and operators all must hold.
 */
record IamCondition(String operator, String key, List<String> values) {

    private static final Map<String, BiPredicate<String, String>> MATCHES = Map.of(
            "StringEquals", String::equals,
            "StringNotEquals", String::equals,
            "StringEqualsIgnoreCase", String::equalsIgnoreCase,
            "StringNotEqualsIgnoreCase", String::equalsIgnoreCase,
            "StringLike",
                    (actual, glob) -> IamGlob.of(glob, false).matcher(actual).matches(),
            "StringNotLike",
                    (actual, glob) -> IamGlob.of(glob, false).matcher(actual).matches(),
            "Bool", String::equalsIgnoreCase);

    static List<IamCondition> parse(JsonNode node) {
        List<IamCondition> conditions = new ArrayList<>();
        if (node.isMissingNode()) {
            return conditions;
        }
        if (!node.isObject()) {
            throw new MalformedPolicyException("Syntax errors in policy: Condition is not an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> operators = node.fields(); operators.hasNext(); ) {
            Map.Entry<String, JsonNode> operator = operators.next();
            if (!MATCHES.containsKey(baseOperator(operator.getKey()))) {
                throw new MalformedPolicyException(
                        "the test bed's evaluator reads no condition operator " + operator.getKey());
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys =
                            operator.getValue().fields();
                    keys.hasNext(); ) {
                Map.Entry<String, JsonNode> key = keys.next();
                conditions.add(new IamCondition(operator.getKey(), key.getKey(), IamPolicy.texts(key.getValue())));
            }
        }
        return conditions;
    }

    boolean holds(Map<String, String> context) {
        String base = baseOperator(operator);
        boolean negated = base.contains("Not");
        String actual = context.entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(key)) // condition keys are case-insensitive
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        if (actual == null) {
            return operator.endsWith("IfExists") || negated;
        }
        boolean anyMatches = values.stream().anyMatch(value -> MATCHES.get(base).test(actual, value));
        return negated != anyMatches;
    }

    private static String baseOperator(String operator) {
        return operator.endsWith("IfExists")
                ? operator.substring(0, operator.length() - "IfExists".length())
                : operator;
    }
}
