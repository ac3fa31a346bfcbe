package io.paasbroker.aws.testbed.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An identity-based IAM policy document, read as IAM's policy grammar has it: {@code Version} 2012-10-17 (or
 * 2008-10-17), one statement or a list of them, each with {@code Effect} Allow or Deny, exactly one of {@code Action}
 * and {@code NotAction}, exactly one of {@code Resource} and {@code NotResource}, and optionally {@code Sid} and
 * {@code Condition}. A document outside the grammar is refused with the reason, as IAM refuses it
 * ({@code MalformedPolicyDocument}). Policy variables ({@code ${aws:username}}) and conditions other than
 * {@link IamCondition}'s are refused too, rather than read wrongly.
 */
public final class IamPolicy {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final Set<String> DOCUMENT_KEYS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_KEYS =
            Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Pattern ACTION = Pattern.compile("\\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+");

    /** One statement: its effect, the actions and resources it names (or names all but), its conditions. */
    record Statement(
            boolean allow,
            List<Pattern> actions,
            boolean notAction,
            List<Pattern> resources,
            boolean notResource,
            List<IamCondition> conditions) {

        boolean applies(IamRequest request) {
            boolean action = actions.stream()
                    .anyMatch(pattern -> pattern.matcher(request.action()).matches());
            boolean resource = resources.stream()
                    .anyMatch(pattern -> pattern.matcher(request.resource()).matches());
            return action != notAction
                    && resource != notResource
                    && conditions.stream().allMatch(condition -> condition.holds(request.context()));
        }
    }

    private final List<Statement> statements;

    private IamPolicy(List<Statement> statements) {
        this.statements = statements;
    }

    List<Statement> statements() {
        return statements;
    }

    /** Reads a policy document; {@link MalformedPolicyException} says why one is not one. */
    public static IamPolicy parse(String document) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (IOException e) {
            throw new MalformedPolicyException("the policy is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPolicyException("the policy is not a JSON object");
        }
        onlyKeys(root, DOCUMENT_KEYS, "the policy");
        if (!VERSIONS.contains(root.path("Version").asText())) {
            throw new MalformedPolicyException("The policy must contain a valid version string");
        }
        JsonNode statementNode = root.path("Statement");
        if (statementNode.isMissingNode() || (statementNode.isArray() && statementNode.isEmpty())) {
            throw new MalformedPolicyException("Syntax errors in policy: no Statement");
        }
        List<Statement> statements = new ArrayList<>();
        for (JsonNode statement : statementNode.isArray() ? statementNode : List.of(statementNode)) {
            statements.add(statement(statement));
        }
        return new IamPolicy(List.copyOf(statements));
    }

    private static Statement statement(JsonNode node) {
        if (!node.isObject()) {
            throw new MalformedPolicyException("Syntax errors in policy: a Statement is not an object");
        }
        onlyKeys(node, STATEMENT_KEYS, "a Statement");
        String effect = node.path("Effect").asText();
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new MalformedPolicyException("Syntax errors in policy: Effect must be Allow or Deny");
        }
        boolean notAction = exactlyOne(node, "Action", "NotAction");
        boolean notResource = exactlyOne(node, "Resource", "NotResource");
        List<Pattern> actions = new ArrayList<>();
        for (String action : texts(node.path(notAction ? "NotAction" : "Action"))) {
            if (!ACTION.matcher(action).matches()) {
                throw new MalformedPolicyException("Syntax errors in policy: '" + action + "' is no action");
            }
            actions.add(IamGlob.of(action, true));
        }
        List<Pattern> resources = new ArrayList<>();
        for (String resource : texts(node.path(notResource ? "NotResource" : "Resource"))) {
            if (!resource.equals("*") && !resource.startsWith("arn:")) {
                throw new MalformedPolicyException("Resource " + resource + " must be in ARN format or \"*\"");
            }
            resources.add(IamGlob.of(resource, false));
        }
        return new Statement(
                effect.equals("Allow"),
                List.copyOf(actions),
                notAction,
                List.copyOf(resources),
                notResource,
                IamCondition.parse(node.path("Condition")));
    }

    /** Whether the statement has the second of the two (the first when it has the first), refusing both or none. */
    private static boolean exactlyOne(JsonNode node, String positive, String negative) {
        boolean hasPositive = node.has(positive);
        if (hasPositive == node.has(negative)) {
            throw new MalformedPolicyException(
                    "Syntax errors in policy: a Statement needs exactly one of " + positive + " and " + negative);
        }
        return !hasPositive;
    }

    /** A string, or a non-empty list of strings; no policy variables. */
    static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        for (JsonNode value : node.isArray() ? node : List.of(node)) {
            if (!value.isTextual()) {
                throw new MalformedPolicyException("Syntax errors in policy: " + value + " is not a string");
            }
            if (value.asText().contains("${")) {
                throw new MalformedPolicyException("the test bed's evaluator reads no policy variables: " + value);
            }
            texts.add(value.asText());
        }
        if (texts.isEmpty()) {
            throw new MalformedPolicyException("Syntax errors in policy: an empty list");
        }
        return texts;
    }

    private static void onlyKeys(JsonNode node, Set<String> allowed, String what) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            String key = fields.next().getKey();
            if (!allowed.contains(key)) {
                throw new MalformedPolicyException("Syntax errors in policy: " + what + " has no element " + key);
            }
        }
    }
}
