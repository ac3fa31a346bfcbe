package io.paasbroker.azure.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether the Azure RBAC role the project ships for the broker ({@code docs/azure-broker-role.json}) allows every
 * action the broker's requests needed: its {@code Actions}, where {@code *} stands for any characters, as Azure reads
 * them, case aside; {@code NotActions} take away.
 */
public final class RoleCoverage {

    /** Where the role is, from the project's root. */
    public static final Path ROLE = Path.of("docs", "azure-broker-role.json");

    private final List<String> actions;
    private final List<String> notActions;

    private RoleCoverage(List<String> actions, List<String> notActions) {
        this.actions = actions;
        this.notActions = notActions;
    }

    /** The project's role, found from the working directory up (a module's directory, or the root). */
    public static RoleCoverage ofProjectRole() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.exists(directory.resolve(ROLE))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException(
                    "no " + ROLE + " above " + Path.of("").toAbsolutePath());
        }
        try {
            JsonNode role = new ObjectMapper().readTree(directory.resolve(ROLE).toFile());
            return new RoleCoverage(texts(role.path("Actions")), texts(role.path("NotActions")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ROLE, e);
        }
    }

    /** Those of {@code used} the role does not allow. */
    public Set<String> notAllowed(Collection<String> used) {
        Set<String> refused = new TreeSet<>();
        for (String action : used) {
            boolean allowed = actions.stream().anyMatch(pattern -> matches(pattern, action))
                    && notActions.stream().noneMatch(pattern -> matches(pattern, action));
            if (!allowed) {
                refused.add(action);
            }
        }
        return refused;
    }

    private static boolean matches(String pattern, String action) {
        String regex = ("\\Q" + pattern.toLowerCase() + "\\E").replace("*", "\\E.*\\Q");
        return action.toLowerCase().matches(regex);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
