package io.paasbroker.aws.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.aws.testbed.iam.IamGlob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Whether the IAM policy the project ships for the broker ({@code docs/aws-iam-policy.json}) allows every action the
 * suite's requests needed, by the actions of its {@code Allow} statements ({@code *} and {@code ?} as IAM reads them).
 * Resources and conditions are the policy's to scope; that a request needs an action at all is what the suite knows.
 */
public final class IamPolicyCoverage {

    /** Where the policy is, from the project's root. */
    public static final Path POLICY = Path.of("docs", "aws-iam-policy.json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Pattern> allowed;

    private IamPolicyCoverage(List<Pattern> allowed) {
        this.allowed = allowed;
    }

    /** The project's policy, found from the working directory up (a module's directory, or the root). */
    public static IamPolicyCoverage ofProjectPolicy() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.exists(directory.resolve(POLICY))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException(
                    "no " + POLICY + " above " + Path.of("").toAbsolutePath());
        }
        return of(directory.resolve(POLICY));
    }

    static IamPolicyCoverage of(Path policy) {
        JsonNode document;
        try {
            document = JSON.readTree(Files.readAllBytes(policy));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the IAM policy " + policy, e);
        }
        List<Pattern> allowed = new ArrayList<>();
        for (JsonNode statement : document.path("Statement")) {
            if (!statement.path("Effect").asText().equals("Allow")) {
                continue;
            }
            JsonNode actions = statement.path("Action");
            for (JsonNode action : actions.isArray() ? actions : List.of(actions)) {
                allowed.add(IamGlob.of(action.asText(), true));
            }
        }
        return new IamPolicyCoverage(allowed);
    }

    /** The actions among {@code needed} no Allow statement of the policy names. */
    public Set<String> notAllowed(Collection<String> needed) {
        Set<String> missing = new TreeSet<>();
        for (String action : needed) {
            if (allowed.stream().noneMatch(pattern -> pattern.matcher(action).matches())) {
                missing.add(action);
            }
        }
        return missing;
    }
}
